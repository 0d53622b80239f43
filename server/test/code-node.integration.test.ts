/**
 * The code node in runs, against a real server, PostgreSQL and the real SDKs on the simulator: its
 * result feeds the next node's template; console lines are `log` events; Math.random and Date are
 * fixed so a replay computes the same thing (zero provider calls, the same prompt); a loop past its
 * time limit fails the step as `code.timeout` and the next run still succeeds; validation refuses a
 * source that reads a node that is not upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishedRun, restClient } from "./helpers/rest.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let stack: Stack;
const call = restClient(() => stack.url);

const SOURCE = `
const big = input.rows.filter(r => r.amount > 100);
console.log("kept", big.length, "of", input.rows.length);
console.warn("seeded", Math.random() < 1);
return { count: big.length, total: big.reduce((s, r) => s + r.amount, 0), pick: Math.random(), at: new Date().toISOString(), label: inputs.label };
`;

function doc(source = SOURCE, extra: Record<string, unknown> = {}) {
  return {
    version: "1",
    entry: "count",
    nodes: [
      { id: "count", type: "code", name: "Count", config: { source, ...extra }, inputs: { label: "{{input.label}}" } },
      {
        id: "say",
        type: "llm",
        name: "Say",
        config: { provider: "openai", model: "gpt-4o-mini", prompt: "Tell me: {{node.count.output}}", cache: false },
      },
    ],
    edges: [{ from: "count", to: "say" }],
  };
}

async function run(graph: object, input = { rows: [{ amount: 50 }, { amount: 150 }, { amount: 300 }], label: "L" }) {
  const wf = await call("POST", "/api/workflows", { name: `code ${Math.random()}`, graph_json: graph });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, { input_vars: input });
  return finishedRun(call, started.body.runId);
}

const stepOf = (runId: string, nodeId: string) => stack.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId } });
const eventsOf = (runId: string) => stack.prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe("code node", () => {
  it("computes from the run's inputs, logs its console lines, and feeds the next node", async () => {
    const done = await run(doc());
    expect(done.status, done.error_summary).toBe("succeeded");
    const output = (await stepOf(done.id, "count")).output as Record<string, unknown>;
    expect(output).toMatchObject({ count: 2, total: 450, label: "L" });
    expect(output.at).toBe(new Date(done.started_at).toISOString());
    const logs = (await eventsOf(done.id)).filter((e) => e.kind === "log" && (e.payload as { source?: string }).source);
    expect(logs.map((e) => e.payload)).toEqual([
      { level: "info", message: "kept 2 of 3", source: "code" },
      { level: "warn", message: "seeded true", source: "code" },
    ]);
    const request = (await eventsOf(done.id)).find((e) => e.kind === "llm.request");
    expect(JSON.stringify(request?.payload)).toContain('\\"total\\":450');
  });

  it("replays to the same result: zero provider calls, the same random pick and clock", async () => {
    const done = await run(doc());
    stack.sim.resetCalls();
    const replay = await call("POST", `/api/runs/${done.id}/rerun`, { replay: true });
    expect(replay.status, JSON.stringify(replay.body)).toBe(202);
    const replayed = await finishedRun(call, replay.body.runId);
    expect(replayed.status, replayed.error_summary).toBe("succeeded");
    expect(stack.sim.calls).toHaveLength(0);
    expect((await stepOf(replayed.id, "count")).output).toEqual((await stepOf(done.id, "count")).output);
  });

  it("stops a loop at its time limit as code.timeout; the next run still succeeds", async () => {
    const stuck = await run(doc("while (true) {}", { timeoutMs: 200 }));
    expect(stuck.status).toBe("failed");
    expect(stuck.error_summary).toContain("code.timeout: the code ran longer than 200 ms and was stopped");
    const bad = await run(doc("return 1 +"));
    expect(bad.error_summary).toContain("code.error: SyntaxError");
    expect((await run(doc())).status).toBe("succeeded");
  });

  it("refuses a source that reads a node that is not upstream, naming the path", async () => {
    const graph = doc("return node.say.output");
    const r = await call("POST", "/api/workflows", { name: "reads downstream", graph_json: graph });
    expect(r.status).toBe(422);
    expect(r.body.error.issues[0]).toMatchObject({ path: "nodes[0].config.source" });
    expect(r.body.error.issues[0].message).toContain("not upstream");
    const limits = await call("POST", "/api/workflows", { name: "x", graph_json: doc(SOURCE, { timeoutMs: 99_999 }) });
    expect(limits.status).toBe(422);
    expect(limits.body.error.issues[0].path).toBe("nodes[0].config.timeoutMs");
  });
});
