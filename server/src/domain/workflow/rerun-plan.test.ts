import { describe, expect, it } from "vitest";
import { chainOf, llmNode, routerNode } from "../../../test/helpers/workflows.ts";
import { compileWorkflow } from "./compile.ts";
import { planRerun } from "./rerun-plan.ts";
import { type Workflow, workflowSchema } from "./schema.ts";

const compile = (doc: unknown) => compileWorkflow(workflowSchema.parse(doc) as Workflow);
const six = compile(
  chainOf(["n1", "n2", "n3", "n4", "n5", "n6"].map((id, i, all) => llmNode(id, {}, i ? { after: all[i - 1] } : {}))),
);
const allSucceeded = (ids: string[]) => new Map(ids.map((id) => [id, "succeeded"]));
const request = (over: Partial<Parameters<typeof planRerun>[1]> = {}) => ({
  fromNode: "n3",
  overridden: new Set<string>(),
  changedInputs: new Set<string>(),
  parentStatus: allSucceeded(["n1", "n2", "n3", "n4", "n5", "n6"]),
  ...over,
});

describe("re-run plan", () => {
  it("reuses what is upstream of the node re-run from, and executes it and everything after", () => {
    const plan = planRerun(six, request());
    expect(plan.reuse).toEqual(["n1", "n2"]);
    expect(plan.execute).toEqual([
      { nodeId: "n3", reason: "re-run from here" },
      { nodeId: "n4", reason: "downstream of n3" },
      { nodeId: "n5", reason: "downstream of n4" },
      { nodeId: "n6", reason: "downstream of n5" },
    ]);
  });

  it("executes an overridden upstream node and what follows it", () => {
    const plan = planRerun(six, request({ overridden: new Set(["n2"]) }));
    expect(plan.reuse).toEqual(["n1"]);
    expect(plan.execute[0]).toEqual({ nodeId: "n2", reason: "its config is overridden" });
  });

  it("executes a node that reads an input whose value changed", () => {
    const plan = planRerun(six, request({ changedInputs: new Set(["topic"]) }));
    expect(plan.reuse).toEqual([]);
    expect(plan.execute[0]).toEqual({ nodeId: "n1", reason: "it reads changed input 'topic'" });
    expect(planRerun(six, request({ changedInputs: new Set(["other"]) })).reuse).toEqual(["n1", "n2"]);
  });

  it("executes what did not succeed in the parent, and keeps skipped branches skipped", () => {
    const routed = compile(
      chainOf(
        [
          llmNode("a"),
          routerNode("r", "'left'", { after: "a" }),
          llmNode("left", {}, { after: "r" }),
          llmNode("c", {}, { after: "left" }),
        ],
        { when: { 1: "branch == 'left'" } },
      ),
    );
    const status = new Map([
      ["a", "succeeded"],
      ["r", "succeeded"],
      ["left", "failed"],
      ["c", "skipped"],
    ]);
    const plan = planRerun(routed, request({ fromNode: "left", parentStatus: status }));
    expect(plan.reuse).toEqual(["a", "r"]);
    expect(plan.execute.map((e) => e.nodeId)).toEqual(["left", "c"]);
  });

  it("a router whose rule reads the whole input executes when any input changed", () => {
    const routed = compile(
      chainOf([llmNode("a"), routerNode("r", "input.mode", { after: "a" }), llmNode("b", {}, { after: "r" })]),
    );
    const status = allSucceeded(["a", "r", "b"]);
    const plan = planRerun(routed, request({ fromNode: "b", parentStatus: status, changedInputs: new Set(["mode"]) }));
    expect(plan.reuse).toEqual(["a"]); // it reads only input.topic
    expect(plan.execute.map((e) => [e.nodeId, e.reason])).toContainEqual(["r", "it reads changed input 'mode'"]);
  });
});
