/**
 * Re-run from a step over real HTTP: reused steps make no provider call and cost 0, the node re-run
 * from and everything after it execute (counted at the simulator), totals are what the re-run paid.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishedRun, restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ latencyMs: 5 });
});
afterAll(() => stack.close());

const call = restClient(() => stack.url);

const finished = (runId: string) => finishedRun(call, runId);

const IDS = ["n1", "n2", "n3", "n4", "n5", "n6"];
/** Six LLM steps in a chain; each node's system prompt names it, so calls can be attributed. */
const sixSteps = (tag: string) =>
  chainOf(IDS.map((id, i) => llmNode(id, { system: `${id} ${tag}` }, i ? { after: IDS[i - 1] } : {})));

async function finishedRunOf(doc: unknown, inputVars: Record<string, unknown> = { topic: "re-runs" }) {
  const { body: wf } = await call("POST", "/api/workflows", { name: "rerun", graph_json: doc });
  const { body: started } = await call("POST", `/api/workflows/${wf.id}/runs`, { input_vars: inputVars });
  return finished(started.runId);
}

/** The nodes the simulator answered since `from` (by the system prompt's first word). */
const calledNodes = (from: number, tag: string) =>
  stack.sim.calls
    .slice(from)
    .filter((c) => c.status === 200 && c.system?.endsWith(tag))
    .map((c) => c.system?.split(" ")[0]);

const sum = (values: (string | null)[]) => values.reduce((a, v) => a + Number(v ?? 0), 0);

async function gql<T>(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${stack.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string }[] };
}

describe("re-run from a step", () => {
  it("re-runs a finished run from a step: lineage, plan and reused steps", async () => {
    const flow = chainOf([
      llmNode("a", { system: "a gql" }),
      llmNode("b", { system: "b gql" }, { after: "a" }),
      llmNode("c", {}, { after: "b" }),
    ]);
    const { body: wf } = await call("POST", "/api/workflows", { name: "gql rerun", graph_json: flow });
    const started = await gql<{ startRun: { id: string } }>(
      `mutation($id: ID!) { startRun(workflowId: $id, inputVars: {topic: "t"}) { ... on Run { id } } }`,
      { id: wf.id },
    );
    const parentId = started.data?.startRun.id;
    const status = async (id: string) =>
      (await gql<{ run: { status: string } }>(`query($id: ID!) { run(id: $id) { status } }`, { id })).data?.run.status;
    while ((await status(parentId as string)) !== "succeeded") await new Promise((r) => setTimeout(r, 50));
    const RERUN = `mutation($runId: ID!, $overrides: JSON) {
      rerunRun(runId: $runId, fromNode: "b", overrides: $overrides) {
        __typename
        ... on Run { id parent { id } rerunFromNode rerunPlan { useCache reused executed { nodeId reason } } }
        ... on InvalidRequestError { issues { path } }
      }
    }`;
    const bad = await gql<{ rerunRun: { __typename: string; issues: { path: string }[] } }>(RERUN, {
      runId: parentId,
      overrides: { ghost: {} },
    });
    expect(bad.data?.rerunRun).toEqual({ __typename: "InvalidRequestError", issues: [{ path: "overrides.ghost" }] });
    const r = await gql<{
      rerunRun: { id: string; parent: { id: string }; rerunFromNode: string; rerunPlan: unknown };
    }>(RERUN, { runId: parentId });
    expect(r.data?.rerunRun).toMatchObject({
      parent: { id: parentId },
      rerunFromNode: "b",
      rerunPlan: {
        useCache: false,
        reused: ["a"],
        executed: [
          { nodeId: "b", reason: "re-run from here" },
          { nodeId: "c", reason: "downstream of b" },
        ],
      },
    });
    const childId = r.data?.rerunRun.id as string;
    while ((await status(childId)) !== "succeeded") await new Promise((res) => setTimeout(res, 50));
    const read = await gql<{
      run: { steps: { nodeId: string; reused: boolean }[] };
      parent: { children: { id: string }[] };
    }>(
      `query($id: ID!, $parent: ID!) { run(id: $id) { steps { nodeId reused } } parent: run(id: $parent) { children { id } } }`,
      { id: childId, parent: parentId },
    );
    expect(read.data?.run.steps.find((s) => s.nodeId === "a")?.reused).toBe(true);
    expect(read.data?.parent.children).toEqual([{ id: childId }]);
  });

  it("reuses the first two steps of six and calls the provider for steps 3–6 only", async () => {
    const parent = await finishedRunOf(sixSteps("six"));
    expect(parent.status).toBe("succeeded");
    const before = stack.sim.calls.length;
    const rerun = await call("POST", `/api/runs/${parent.id}/rerun`, { from_node: "n3" });
    expect(rerun.status).toBe(202);
    expect(rerun.body).toEqual({
      runId: expect.any(String),
      reused: ["n1", "n2"],
      executed: [
        { node_id: "n3", reason: "re-run from here" },
        { node_id: "n4", reason: "downstream of n3" },
        { node_id: "n5", reason: "downstream of n4" },
        { node_id: "n6", reason: "downstream of n5" },
      ],
    });
    const child = await finished(rerun.body.runId);
    expect(child.status).toBe("succeeded");
    // The cache holds every answer of the parent: the re-run calls again, it does not read it.
    expect(calledNodes(before, "six").sort()).toEqual(["n3", "n4", "n5", "n6"]);

    expect(child).toMatchObject({ parent_run_id: parent.id, rerun_from_node: "n3", triggered_by: "rerun" });
    const parentStep = (id: string) => parent.steps.find((s: { node_id: string }) => s.node_id === id);
    for (const id of ["n1", "n2"]) {
      const step = child.steps.find((s: { node_id: string }) => s.node_id === id);
      expect(step).toMatchObject({
        status: "succeeded",
        reused: true,
        source_step_id: parentStep(id).id,
        cost_cents: "0",
      });
      expect(step.tokens_input + step.tokens_output).toBe(0);
    }
    const executed = child.steps.filter((s: { reused: boolean }) => !s.reused);
    expect(executed.map((s: { node_id: string }) => s.node_id).sort()).toEqual(["n3", "n4", "n5", "n6"]);
    expect(Number(child.total_cost_cents)).toBeCloseTo(
      sum(executed.map((s: { cost_cents: string }) => s.cost_cents)),
      12,
    );
    expect(child.total_tokens).toBe(
      executed.reduce(
        (a: number, s: { tokens_input: number; tokens_output: number }) => a + s.tokens_input + s.tokens_output,
        0,
      ),
    );
    expect(Number(child.saved_cost_cents)).toBeCloseTo(
      sum([parentStep("n1").cost_cents, parentStep("n2").cost_cents]),
      12,
    );
    expect(Number(child.saved_cost_cents)).toBeGreaterThan(0);

    const trace = await call("GET", `/api/runs/${child.id}/trace?limit=1000`);
    const reusedEvents = trace.body.events.filter((e: { kind: string }) => e.kind === "step.reused");
    expect(
      reusedEvents.map((e: { payload: { nodeId: string; sourceRunId: string } }) => [
        e.payload.nodeId,
        e.payload.sourceRunId,
      ]),
    ).toEqual([
      ["n1", parent.id],
      ["n2", parent.id],
    ]);
  });

  it("re-executes an overridden upstream node and what follows it, with the override applied", async () => {
    const parent = await finishedRunOf(sixSteps("override"));
    const before = stack.sim.calls.length;
    const rerun = await call("POST", `/api/runs/${parent.id}/rerun`, {
      from_node: "n5",
      overrides: { n2: { model: "gpt-4o" } },
    });
    expect(rerun.status).toBe(202);
    expect(rerun.body.reused).toEqual(["n1"]);
    expect(rerun.body.executed[0]).toEqual({ node_id: "n2", reason: "its config is overridden" });
    await finished(rerun.body.runId);
    expect(calledNodes(before, "override").sort()).toEqual(["n2", "n3", "n4", "n5", "n6"]);
    const n2call = stack.sim.calls.slice(before).find((c) => c.system === "n2 override");
    expect(n2call?.model).toBe("gpt-4o");

    const diff = await call("GET", `/api/runs/${rerun.body.runId}/diff?against=${parent.id}`);
    expect(diff.status).toBe(200);
    expect(diff.body.steps.map((s: { node_id: string }) => s.node_id)).toEqual(IDS);
    const [n1, n2] = diff.body.steps;
    expect(n1).toMatchObject({ presence: "both", reused: [false, true], output_changed: false, config_changed: false });
    expect(n2).toMatchObject({
      config_changed: true,
      config_diff: [{ path: "model", old: "gpt-4o-mini", new: "gpt-4o" }],
      status: ["succeeded", "succeeded"],
    });
    expect(diff.body.totals.status).toEqual(["succeeded", "succeeded"]);
    const gqlDiff = await gql<{ run: { diff: { steps: { nodeId: string; configChanged: boolean }[] } } }>(
      `query($id: ID!, $a: ID!) { run(id: $id) { diff(against: $a) } }`,
      { id: rerun.body.runId, a: parent.id },
    );
    expect(gqlDiff.data?.run.diff.steps[1]).toMatchObject({ nodeId: "n2", configChanged: true });
    expect((await call("GET", `/api/runs/${parent.id}/diff`)).status).toBe(400);
    expect((await call("GET", `/api/runs/${parent.id}/diff?against=nope`)).status).toBe(404);
  });

  it("re-executes steps that read an input that changed", async () => {
    const parent = await finishedRunOf(sixSteps("inputs"));
    const rerun = await call("POST", `/api/runs/${parent.id}/rerun`, {
      from_node: "n4",
      input_vars: { topic: "another" },
    });
    expect(rerun.body.reused).toEqual([]);
    expect(rerun.body.executed[0]).toEqual({ node_id: "n1", reason: "it reads changed input 'topic'" });
  });

  it("re-running one branch of a parallel workflow reuses the other branch", async () => {
    const doc = {
      version: "1",
      entry: "a",
      parallel: true,
      nodes: [
        llmNode("a", { system: "a parallel" }),
        llmNode("left", { system: "left parallel" }, { after: "a" }),
        llmNode("right", { system: "right parallel" }, { after: "a" }),
        {
          ...llmNode("join", { system: "join parallel" }),
          inputs: { l: "{{node.left.output}}", r: "{{node.right.output}}" },
        },
      ],
      edges: [
        { from: "a", to: "left" },
        { from: "a", to: "right" },
        { from: "left", to: "join" },
        { from: "right", to: "join" },
      ],
    };
    const parent = await finishedRunOf(doc);
    expect(parent.status).toBe("succeeded");
    const before = stack.sim.calls.length;
    const rerun = await call("POST", `/api/runs/${parent.id}/rerun`, { from_node: "left" });
    expect(rerun.body.reused.sort()).toEqual(["a", "right"]);
    const child = await finished(rerun.body.runId);
    expect(child.status).toBe("succeeded");
    expect(calledNodes(before, "parallel").sort()).toEqual(["join", "left"]);
  });

  it("refuses a run in progress (409), unknown nodes and bad overrides (422 naming them), bad bodies (400)", async () => {
    const { body: wf } = await call("POST", "/api/workflows", { name: "rerun-bad", graph_json: sixSteps("bad") });
    const { body: started } = await call("POST", `/api/workflows/${wf.id}/runs`, { input_vars: { topic: "x" } });
    const early = await call("POST", `/api/runs/${started.runId}/rerun`, { from_node: "n3" });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("conflict");
    await finished(started.runId);

    const unknownNode = await call("POST", `/api/runs/${started.runId}/rerun`, { from_node: "nope" });
    expect(unknownNode.status).toBe(422);
    expect(unknownNode.body.error.issues[0]).toMatchObject({
      path: "from_node",
      message: expect.stringContaining("'nope'"),
    });
    const unknownOverride = await call("POST", `/api/runs/${started.runId}/rerun`, {
      from_node: "n3",
      overrides: { ghost: {} },
    });
    expect(unknownOverride.status).toBe(422);
    expect(unknownOverride.body.error.issues[0].path).toBe("overrides.ghost");
    const badModel = await call("POST", `/api/runs/${started.runId}/rerun`, {
      from_node: "n3",
      overrides: { n3: { model: 5 } },
    });
    expect(badModel.status).toBe(422);
    expect(badModel.body.error.issues).toContainEqual({ path: "overrides.n3.model", message: expect.any(String) });
    const noDefault = await call("POST", `/api/runs/${started.runId}/rerun`, {});
    expect(noDefault.status).toBe(422);
    expect(noDefault.body.error.issues[0].path).toBe("from_node");
    expect((await call("POST", `/api/runs/${started.runId}/rerun`, { from_node: 3 })).status).toBe(400);
    expect(
      (await call("POST", "/api/runs/00000000-0000-4000-8000-000000000000/rerun", { from_node: "n3" })).status,
    ).toBe(404);
  });

  it("replays an unchanged run with zero provider calls, and the same outputs", async () => {
    const parent = await finishedRunOf(sixSteps("replay"));
    const before = stack.sim.calls.length;
    const replay = await call("POST", `/api/runs/${parent.id}/rerun`, { replay: true });
    expect(replay.status).toBe(202);
    expect(replay.body.reused).toEqual([]);
    const child = await finished(replay.body.runId);
    expect(child.status).toBe("succeeded");
    expect(child.triggered_by).toBe("replay");
    expect(stack.sim.calls.length).toBe(before);
    expect(Number(child.total_cost_cents)).toBe(0);
    const diff = await call("GET", `/api/runs/${child.id}/diff?against=${parent.id}`);
    expect(diff.body.steps.every((s: { output_changed: boolean }) => !s.output_changed)).toBe(true);
    const trace = await call("GET", `/api/runs/${child.id}/trace?limit=1000`);
    expect(trace.body.events.filter((e: { kind: string }) => e.kind === "replay.hit")).toHaveLength(6);
  });

  it("a replay after editing node 3 fails at node 3 with replay.miss, not before", async () => {
    const doc = sixSteps("replay-edit");
    const parent = await finishedRunOf(doc);
    const edited = structuredClone(doc);
    (edited.nodes[2] as { config: Record<string, unknown> }).config.system = "n3 replay-edit, but changed";
    const before = stack.sim.calls.length;
    const replay = await call("POST", `/api/runs/${parent.id}/rerun`, { replay: true, graph_json: edited });
    expect(replay.status).toBe(202);
    const child = await finished(replay.body.runId);
    expect(child.status).toBe("failed");
    expect(stack.sim.calls.length).toBe(before);
    const status = Object.fromEntries(
      child.steps.map((s: { node_id: string; status: string }) => [s.node_id, s.status]),
    );
    expect([status.n1, status.n2, status.n3]).toEqual(["succeeded", "succeeded", "failed"]);
    const trace = await call("GET", `/api/runs/${child.id}/trace?limit=1000`);
    const miss = trace.body.events.find((e: { kind: string }) => e.kind === "replay.miss");
    expect(miss.payload).toMatchObject({
      nodeId: "n3",
      sourceRunId: parent.id,
      diff: [{ path: "system", old: "n3 replay-edit", new: "n3 replay-edit, but changed" }],
    });
    const failed = trace.body.events.find((e: { kind: string }) => e.kind === "step.failed");
    expect(failed.payload).toMatchObject({ nodeId: "n3", kind: "replay.miss" });
    const bad = await call("POST", `/api/runs/${parent.id}/rerun`, { replay: true, graph_json: { nodes: [] } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toMatch(/^graph_json/);
  });
});
