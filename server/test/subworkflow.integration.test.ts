/**
 * Sub-workflows against a real server, PostgreSQL and the real SDKs on the simulator: the child is
 * a run of its own linked both ways (parent_run_id/parent_step_id, child_runs, triggered_by
 * "workflow"); its output feeds the parent and its tokens and cost count in the parent's; a
 * person's approval in the child makes the parent wait and is decided from the parent's view;
 * cancel goes down; a replay of the parent runs no child and calls nothing; validation refuses a
 * cycle and a chain deeper than the limit, naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishedRun, restClient, waitingRun } from "./helpers/rest.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let stack: Stack;
const call = restClient(() => stack.url);

const llm = (id: string, prompt: string) => ({
  id,
  type: "llm",
  name: id.toUpperCase(),
  config: { provider: "openai", model: "gpt-4o-mini", prompt, cache: false },
});
const sub = (id: string, workflow: string, inputs: object = {}) => ({
  id,
  type: "workflow",
  name: id.toUpperCase(),
  config: { workflow, inputs },
});
const chain = (nodes: { id: string }[]) => ({
  version: "1",
  entry: nodes[0]?.id,
  nodes,
  edges: nodes.slice(1).map((n, i) => ({ from: nodes[i]?.id, to: n.id })),
});

async function workflow(name: string, graph: object) {
  const r = await call("POST", "/api/workflows", { name, graph_json: graph });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
async function start(workflowId: string, input: object = {}) {
  const r = await call("POST", `/api/workflows/${workflowId}/runs`, { input_vars: input });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.runId as string;
}

let child = "";
let gated = "";

beforeAll(async () => {
  stack = await startStack();
  child = await workflow("Child", chain([llm("write", "Write about {{input.topic}}")]));
  const gate = { id: "gate", type: "approval", name: "Gate", config: { message: "Publish?" } };
  gated = await workflow("Gated child", chain([gate, llm("after", "Done: {{input.topic}}")]));
});
afterAll(() => stack?.close());

describe("sub-workflows", () => {
  it("runs the child as its own run, linked both ways; its output feeds the parent; its cost counts in the parent's", async () => {
    const parent = await workflow(
      "Parent",
      chain([sub("sub", child, { topic: "{{input.topic}}" }), llm("use", "Use {{node.sub.output}}")]),
    );
    const run = await finishedRun(call, await start(parent, { topic: "otters" }));
    expect(run.status, run.error_summary).toBe("succeeded");
    const view = (await call("GET", `/api/runs/${run.id}`)).body;
    expect(view.child_runs).toHaveLength(1);
    const kid = view.child_runs[0];
    const subStep = view.steps.find((s: { node_id: string }) => s.node_id === "sub");
    expect(kid).toMatchObject({
      parent_run_id: run.id,
      parent_step_id: subStep.id,
      triggered_by: "workflow",
      status: "succeeded",
      workflow_id: child,
    });
    expect(kid.input_vars).toEqual({ topic: "otters" });
    expect(subStep.cost_cents).toBe(kid.total_cost_cents);
    expect(subStep.tokens_input + subStep.tokens_output).toBe(kid.total_tokens);
    const useStep = view.steps.find((s: { node_id: string }) => s.node_id === "use");
    expect(Number(view.total_cost_cents)).toBeCloseTo(Number(kid.total_cost_cents) + Number(useStep.cost_cents), 9);
    const kidView = (await call("GET", `/api/runs/${kid.id}`)).body;
    expect(kidView.parent_step_id).toBe(subStep.id);
  });

  it("a replay of the parent answers the sub-workflow from the recording: no child run, no provider call", async () => {
    const parent = await workflow(
      "Parent to replay",
      chain([sub("sub", child, { topic: "x" }), llm("use", "Use {{node.sub.output}}")]),
    );
    const run = await finishedRun(call, await start(parent));
    stack.sim.resetCalls();
    const replay = await call("POST", `/api/runs/${run.id}/rerun`, { replay: true });
    const replayed = await finishedRun(call, replay.body.runId);
    expect(replayed.status, replayed.error_summary).toBe("succeeded");
    expect(stack.sim.calls).toHaveLength(0);
    expect((await call("GET", `/api/runs/${replayed.id}`)).body.child_runs).toEqual([]);
  });

  it("an approval in the child makes the parent wait; it is decided from the parent's view and both finish", async () => {
    const parent = await workflow(
      "Parent of gate",
      chain([sub("sub", gated, { topic: "t" }), llm("use", "Use {{node.sub.output}}")]),
    );
    const runId = await start(parent);
    const waiting = await waitingRun(call, runId);
    expect(waiting.pending_approval).toMatchObject({ node_id: "gate", message: "Publish?" });
    const kid = waiting.child_runs[0];
    expect(kid.status).toBe("waiting");
    const gql = await call("POST", "/graphql", { query: `{ run(id: "${runId}") { status pendingApproval { id } } }` });
    expect(gql.body.data.run).toEqual({ status: "waiting", pendingApproval: { id: waiting.pending_approval.id } });
    const decided = await call("POST", `/api/approvals/${waiting.pending_approval.id}`, { decision: "approve" });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const done = await finishedRun(call, runId);
    expect(done.status, done.error_summary).toBe("succeeded");
    expect((await call("GET", `/api/runs/${kid.id}`)).body.status).toBe("succeeded");
  });

  it("an agent calls a workflow as a tool: its inputs are the arguments, its output the result", async () => {
    const agent = {
      id: "agent",
      type: "agent",
      name: "Agent",
      config: {
        provider: "anthropic",
        model: "claude-3-5-haiku-latest",
        prompt: 'use Child on "otters"',
        tools: [{ workflow: child }],
        cache: false,
      },
    };
    const run = await finishedRun(call, await start(await workflow("Agent parent", chain([agent]))));
    expect(run.status, run.error_summary).toBe("succeeded");
    const view = (await call("GET", `/api/runs/${run.id}`)).body;
    expect(view.child_runs).toHaveLength(1);
    expect(view.child_runs[0].input_vars).toEqual({ topic: "otters" });
    expect(view.child_runs[0].tags[0]).toMatch(/^tool_call:/);
    // The called workflow's cost is the agent step's too: the run's total covers both.
    const agentStep = view.steps.find((s: { node_id: string }) => s.node_id === "agent");
    expect(Number(agentStep.cost_cents)).toBeGreaterThan(Number(view.child_runs[0].total_cost_cents));
    expect(agentStep.tokens_input + agentStep.tokens_output).toBeGreaterThan(view.child_runs[0].total_tokens);
    const events = await stack.prisma.traceEvent.findMany({ where: { runId: run.id, kind: "tool.request" } });
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ tool: `workflow:${child}`, name: "Child", args: { topic: "otters" } });
  });

  it("cancel goes down to the child", async () => {
    const parent = await workflow("Parent to cancel", chain([sub("sub", gated, { topic: "t" })]));
    const runId = await start(parent);
    const waiting = await waitingRun(call, runId);
    expect((await call("POST", `/api/runs/${runId}/cancel`)).status).toBe(202);
    expect((await finishedRun(call, runId)).status).toBe("canceled");
    expect((await finishedRun(call, waiting.child_runs[0].id)).status).toBe("canceled");
  });

  it("refuses a cycle and a chain deeper than the limit, naming the chain", async () => {
    const b = await workflow("B", chain([llm("b", "b")]));
    const a = await workflow("A", chain([sub("callb", b)]));
    const loop = await call("PUT", `/api/workflows/${b}`, { graph_json: chain([sub("calla", a)]) });
    expect(loop.status).toBe(422);
    expect(loop.body.error.issues[0]).toEqual({ path: "nodes[0].config.workflow", message: "calls itself: B → A → B" });
    let previous = await workflow("Level 0", chain([llm("x", "x")]));
    for (let i = 1; i <= 5; i++) previous = await workflow(`Level ${i}`, chain([sub("down", previous)]));
    const deep = await call("POST", "/api/workflows", { name: "Level 6", graph_json: chain([sub("down", previous)]) });
    expect(deep.status).toBe(422);
    expect(deep.body.error.issues[0].message).toBe(
      "sub-workflows nest deeper than 5: Level 6 → Level 5 → Level 4 → Level 3 → Level 2 → Level 1 → Level 0",
    );
    const missing = await call("POST", "/api/workflows", {
      name: "Calls nothing",
      graph_json: chain([sub("x", "00000000-0000-4000-8000-000000000000")]),
    });
    expect(missing.body.error.issues[0].message).toContain("does not exist in this project");
  });
});
