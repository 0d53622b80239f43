import { describe, expect, it } from "vitest";
import { toolCatalog } from "../../tools/registry.ts";
import { parseExpression } from "../expression/parse.ts";
import { comparedBranchValues } from "./approval-edges.ts";
import { validateWorkflow } from "./validate.ts";

const ctx = { tools: toolCatalog, providers: ["openai"] };
const llm = (id: string) => ({
  id,
  type: "llm",
  name: id,
  config: { provider: "openai", model: "gpt-4o-mini" },
  inputs: { text: "{{input.topic}}" },
});
const gate = (config: Record<string, unknown> = {}) => ({
  id: "gate",
  type: "approval",
  name: "Gate",
  config: { message: "Publish {{node.draft.output}}?", ...config },
  inputs: { draft: "{{node.draft.output}}" },
});
const doc = (gateNode: unknown, edges: { from: string; to: string; when?: string }[]) => ({
  version: "1",
  entry: "draft",
  nodes: [llm("draft"), gateNode, llm("publish"), llm("revise")],
  edges: [{ from: "draft", to: "gate" }, ...edges],
});
const issuesOf = (input: unknown) => {
  const r = validateWorkflow(input, ctx);
  return r.ok ? [] : r.issues;
};
const rejectedEdge = { from: "gate", to: "revise", when: "'rejected' == branch" };
const branches = [
  { from: "gate", to: "publish", when: "branch == 'approved'" },
  { from: "gate", to: "revise", when: "'rejected' == branch" },
];

describe("approval nodes at save", () => {
  it("accepts a gate whose edges use the branches it sets", () => {
    expect(issuesOf(doc(gate({ timeoutSeconds: 3600, onTimeout: "reject" }), branches))).toEqual([]);
    expect(
      issuesOf(doc(gate(), [{ from: "gate", to: "publish", when: "branch != 'rejected'" }, rejectedEdge])),
    ).toEqual([]);
  });

  it("reports a branch value the node never sets, with the edge's path", () => {
    const issues = issuesOf(doc(gate(), [{ from: "gate", to: "publish", when: "branch == 'approve'" }, rejectedEdge]));
    expect(issues).toEqual([
      {
        path: "edges[1].when",
        message: "branch is never 'approve' here: an approval node sets branch to 'approved' or 'rejected'",
      },
    ]);
  });

  it("reports an edge no decision can take", () => {
    const issues = issuesOf(
      doc(gate(), [
        { from: "gate", to: "publish", when: "branch == 'approved' && branch == 'rejected'" },
        rejectedEdge,
      ]),
    );
    expect(issues).toEqual([
      {
        path: "edges[1].when",
        message: "this edge never runs: its condition is false for both 'approved' and 'rejected'",
      },
    ]);
  });

  it.each([
    [{ timeoutSeconds: 0 }, "nodes[1].config.timeoutSeconds", "expected at least 1 second"],
    [{ timeoutSeconds: 1.5 }, "nodes[1].config.timeoutSeconds", "expected a whole number of seconds"],
    [
      { timeoutSeconds: 31 * 24 * 3600 },
      "nodes[1].config.timeoutSeconds",
      "expected at most 2592000 seconds (30 days)",
    ],
    [{ onTimeout: "ignore" }, "nodes[1].config.onTimeout", "expected onTimeout to be one of reject, approve, fail"],
    [{ message: "" }, "nodes[1].config.message", "expected a message for the approver"],
  ])("reports a bad config %j at its path", (config, path, message) => {
    expect(issuesOf(doc(gate(config), branches))).toContainEqual({ path, message });
  });

  it("checks the message's templates like a prompt's", () => {
    expect(issuesOf(doc(gate({ message: "{{node.publish.output}}" }), branches))).toContainEqual({
      path: "nodes[1].config.message",
      message: "{{node.publish.output}} refers to node 'publish', which is not upstream of 'gate'",
    });
  });

  it("finds the values compared with branch on either side", () => {
    const parsed = parseExpression("branch == 'a' || ('b' != branch && output == 'c')");
    expect(parsed.ok && comparedBranchValues(parsed.ast).sort()).toEqual(["a", "b"]);
  });
});
