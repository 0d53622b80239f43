/**
 * The agent node end to end: a real server and PostgreSQL, the real SDKs against the simulator,
 * the real built-in tools. On each vendor: a two-iteration loop with two parallel tool calls per
 * iteration, results sent back in call order in the vendor's own format, every iteration traced
 * and priced; a structured answer repaired once; maxIterations; a zero-call replay; and a mid-loop
 * fallback that carries the conversation over to the other vendor.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Prisma } from "../src/db/prisma.ts";
import { finishedRun, restClient, waitingRun } from "./helpers/rest.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let stack: Stack;
const call = restClient(() => stack.url);

beforeAll(async () => {
  stack = await startStack({ latencyMs: 5, allowSelfFetch: true });
}, 60_000);
afterAll(() => stack?.close());
beforeEach(() => {
  stack.sim.setFaults([]);
  stack.sim.resetCalls();
});

type Config = Record<string, unknown>;

function agentWorkflow(config: Config) {
  return {
    version: "1",
    entry: "agent",
    nodes: [
      {
        id: "agent",
        type: "agent",
        name: "Researcher",
        config: {
          provider: "openai",
          model: "gpt-4o-mini",
          system: "You use tools.",
          prompt: "{{input.task}}",
          tools: [{ tool: "http.fetch" }, { tool: "transform" }],
          cache: false,
          ...config,
        },
      },
    ],
    edges: [],
  };
}

/** The agent step's output, as stored. */
async function outputOf(runId: string, nodeId = "agent") {
  return (await stack.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId } })).output;
}

async function runAgent(config: Config, task: string) {
  const wf = await call("POST", "/api/workflows", {
    name: `agent ${Math.random()}`,
    graph_json: agentWorkflow(config),
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, { input_vars: { task } });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return finishedRun(call, started.body.runId);
}

const events = async (runId: string) =>
  (await call("GET", `/api/runs/${runId}/trace?limit=1000`)).body.events as {
    kind: string;
    payload: Record<string, unknown>;
  }[];

const twoRounds = () =>
  `Use http_fetch on ${stack.url}/demo/research.txt and transform upper "quiet", then http_fetch on ${stack.url}/demo/sales.csv and transform lower "LOUD"`;

describe.each([
  ["openai", "gpt-4o-mini"],
  ["anthropic", "claude-3-5-haiku-20241022"],
] as const)("an agent on %s", (provider, model) => {
  it("loops twice with two parallel tool calls each, then answers; every call traced and priced", async () => {
    const run = await runAgent({ provider, model, fallbacks: [] }, twoRounds());
    expect(run.status, run.error_summary).toBe("succeeded");
    const trace = await events(run.id);
    const requests = trace.filter((e) => e.kind === "llm.request");
    expect(requests.map((e) => e.payload.iteration)).toEqual([1, 2, 3]);
    expect(requests[0]?.payload.tools).toEqual(["http_fetch", "transform"]);
    const responses = trace.filter((e) => e.kind === "llm.response");
    expect(responses.map((e) => (e.payload.toolCalls as unknown[]).length)).toEqual([2, 2, 0]);
    const tools = trace.filter((e) => e.kind === "tool.response");
    expect(tools.map((e) => [e.payload.iteration, e.payload.tool])).toEqual(
      expect.arrayContaining([
        [1, "http.fetch"],
        [1, "transform"],
        [2, "http.fetch"],
        [2, "transform"],
      ]),
    );
    expect(tools.find((e) => e.payload.iteration === 1 && e.payload.tool === "transform")?.payload.output).toBe(
      "QUIET",
    );
    expect(trace.find((e) => e.kind === "agent.finished")?.payload).toEqual({
      iterations: 3,
      toolCalls: 4,
      stopReason: "answer",
    });
    // The step's cost is the sum of its calls' costs, exactly; so is the run's.
    const sum = responses.reduce((s, e) => s.add(String(e.payload.costCents)), new Prisma.Decimal(0));
    expect(new Prisma.Decimal(run.total_cost_cents).equals(sum)).toBe(true);
    expect(await outputOf(run.id)).toContain("from 4 tool results: ");
    // The vendor received the results in call order, each echoing its call's id.
    const ids = ((responses[0]?.payload.toolCalls ?? []) as { id: string }[]).map((c) => c.id);
    const second = stack.sim.calls[1]?.body as Record<string, unknown>;
    const messages = second.messages as Record<string, unknown>[];
    if (provider === "openai") {
      expect(messages.filter((m) => m.role === "tool").map((m) => m.tool_call_id)).toEqual(ids);
    } else {
      const results = messages.at(-1)?.content as { type: string; tool_use_id: string }[];
      expect(results.map((b) => [b.type, b.tool_use_id])).toEqual(ids.map((id) => ["tool_result", id]));
    }
  });
});

describe("agent answers and limits", () => {
  const schema = {
    type: "object",
    properties: { answer: { type: "string" } },
    required: ["answer"],
    additionalProperties: false,
  };

  it("repairs a structured answer once and outputs the parsed object", async () => {
    const run = await runAgent({ output: { schema } }, "[sim:invalid-json-once] Summarise the plan");
    expect(run.status, run.error_summary).toBe("succeeded");
    expect(await outputOf(run.id)).toEqual({ answer: expect.stringContaining("Simulated") });
    const requests = (await events(run.id)).filter((e) => e.kind === "llm.request");
    expect(requests).toHaveLength(2);
    const repair = stack.sim.calls[1]?.body?.messages as { role: string; content: string }[];
    expect(repair.at(-1)?.content).toMatch(
      /^Your answer did not match the schema: .*must NOT have additional properties/,
    );
  });

  it("gives an llm node a structured answer too: repaired once, parsed, read by the next node's template", async () => {
    const graph = {
      version: "1",
      entry: "rate",
      nodes: [
        {
          id: "rate",
          type: "llm",
          name: "Rate",
          config: {
            provider: "anthropic",
            model: "claude-3-5-haiku-20241022",
            prompt: "[sim:invalid-json-once] {{input.task}}",
            output: { schema },
            cache: false,
          },
        },
        {
          id: "echo",
          type: "llm",
          name: "Echo",
          config: {
            provider: "openai",
            model: "gpt-4o-mini",
            prompt: "Repeat: {{node.rate.output.answer}}",
            cache: false,
          },
        },
      ],
      edges: [{ from: "rate", to: "echo" }],
    };
    const wf = await call("POST", "/api/workflows", { name: "structured llm", graph_json: graph });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, { input_vars: { task: "the plan" } });
    const run = await finishedRun(call, started.body.runId);
    expect(run.status, run.error_summary).toBe("succeeded");
    const rate = await stack.prisma.runStep.findFirstOrThrow({ where: { runId: run.id, nodeId: "rate" } });
    expect(rate.output).toEqual({ answer: expect.any(String) });
    expect(stack.sim.calls.filter((c) => c.provider === "anthropic")).toHaveLength(2);
    const echoed = stack.sim.calls.find((c) => c.provider === "openai")?.prompt ?? "";
    expect(echoed).toContain(`Repeat: ${(rate.output as { answer: string }).answer}`);
  });

  it("fails at maxIterations naming the count and the last tool calls", async () => {
    const run = await runAgent({ maxIterations: 1 }, 'Use transform upper "x"');
    expect(run.status).toBe("failed");
    expect(run.error_summary).toMatch(/maxIterations \(1\) still calling tools: transform\(/);
    const failed = (await events(run.id)).find((e) => e.kind === "step.failed");
    expect(failed?.payload.kind).toBe("agent.max_iterations");
  });

  it("replays an agent run from its recording with zero provider and zero tool calls", async () => {
    const run = await runAgent({}, twoRounds());
    expect(run.status).toBe("succeeded");
    stack.sim.resetCalls();
    const replay = await call("POST", `/api/runs/${run.id}/rerun`, { replay: true });
    expect(replay.status, JSON.stringify(replay.body)).toBe(202);
    const done = await finishedRun(call, replay.body.runId);
    expect(done.status, done.error_summary).toBe("succeeded");
    expect(stack.sim.calls).toHaveLength(0);
    const trace = await events(done.id);
    expect(trace.filter((e) => e.kind === "tool.request")).toHaveLength(0);
    expect(trace.filter((e) => e.kind === "replay.hit")).toHaveLength(7);
    expect(await outputOf(done.id)).toBe(await outputOf(run.id));
    expect(done.total_cost_cents).toBe("0");
  });

  it("falls back mid-loop to the other vendor with the conversation so far", async () => {
    stack.sim.setLatency(150);
    const wf = await call("POST", "/api/workflows", {
      name: "fallback agent",
      graph_json: agentWorkflow({
        retry: { attempts: 0 },
        fallbacks: [{ provider: "anthropic", model: "claude-3-5-haiku-20241022" }],
      }),
    });
    const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, { input_vars: { task: twoRounds() } });
    const runId = started.body.runId as string;
    // Once iteration 1 asked for its tools, OpenAI goes down.
    for (;;) {
      if ((await events(runId)).some((e) => e.kind === "tool.request")) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    stack.sim.setFaults([{ provider: "openai", status: 503, count: Number.POSITIVE_INFINITY }]);
    const run = await finishedRun(call, runId);
    stack.sim.setLatency(5);
    expect(run.status, run.error_summary).toBe("succeeded");
    const trace = await events(runId);
    expect(trace.some((e) => e.kind === "fallback")).toBe(true);
    const answered = trace
      .filter((e) => e.kind === "llm.response")
      .map((e) => [e.payload.iteration, e.payload.provider]);
    expect(answered[0]).toEqual([1, "openai"]);
    expect(answered.slice(1).every(([, p]) => p === "anthropic")).toBe(true);
    const carried = stack.sim.calls.find((c) => c.provider === "anthropic")?.body?.messages as {
      role: string;
      content: unknown;
    }[];
    expect(carried.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  });
});

describe("agent approvals", () => {
  async function start(config: Config, task: string) {
    const wf = await call("POST", "/api/workflows", {
      name: `approve ${Math.random()}`,
      graph_json: agentWorkflow(config),
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, { input_vars: { task } });
    return started.body.runId as string;
  }

  it("waits for a person before a tool call, runs it with the arguments they edited, and refuses a second decision", async () => {
    const runId = await start({ tools: [{ tool: "transform", requireApproval: true }] }, 'Use transform upper "draft"');
    await waitingRun(call, runId);
    const pending = (await call("GET", `/api/approvals?run_id=${runId}`)).body.approvals;
    expect(pending).toEqual([
      expect.objectContaining({ kind: "tool", tool: "transform", args: { operation: "upper", value: "draft" } }),
    ]);
    const decided = await call("POST", `/api/approvals/${pending[0].id}`, {
      decision: "approve",
      args: { operation: "lower", value: "EDITED" },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const again = await call("POST", `/api/approvals/${pending[0].id}`, { decision: "reject" });
    expect(again.status).toBe(409);
    const run = await finishedRun(call, runId);
    expect(run.status, run.error_summary).toBe("succeeded");
    const trace = await events(runId);
    expect(trace.find((e) => e.kind === "tool.response")?.payload.output).toBe("edited");
    expect(trace.find((e) => e.kind === "approval.requested")?.payload).toMatchObject({
      kind: "tool",
      tool: "transform",
    });
    expect(trace.find((e) => e.kind === "approval.resolved")?.payload).toMatchObject({
      decision: "approved",
      args: { operation: "lower", value: "EDITED" },
    });
    // The model was not asked again for iteration 1 after the wait: one call per iteration.
    expect(trace.filter((e) => e.kind === "llm.request").map((e) => e.payload.iteration)).toEqual([1, 2]);
    expect(stack.sim.calls).toHaveLength(2);
  });

  it("tells the model a rejected call was rejected, with the comment", async () => {
    const runId = await start({ tools: [{ tool: "transform", requireApproval: true }] }, 'Use transform upper "draft"');
    await waitingRun(call, runId);
    const [approval] = (await call("GET", `/api/approvals?run_id=${runId}`)).body.approvals;
    await call("POST", `/api/approvals/${approval.id}`, { decision: "reject", comment: "not now" });
    const run = await finishedRun(call, runId);
    expect(run.status).toBe("succeeded");
    const result = (await events(runId)).find((e) => e.kind === "tool.response")?.payload;
    expect(result).toMatchObject({ isError: true, output: { error: "this call was rejected by api: not now" } });
    expect(await outputOf(runId)).toContain("rejected by api: not now");
  });

  it("pauses at a used-up budget until a person extends it, then goes on without repeating a call", async () => {
    const budget = { maxCostCents: 0.000001, onExceeded: "pause" };
    const runId = await start({ budget }, twoRounds());
    await waitingRun(call, runId);
    const [approval] = (await call("GET", `/api/approvals?run_id=${runId}`)).body.approvals;
    expect(approval).toMatchObject({ kind: "budget", limit_cents: "0.000001" });
    expect(Number(approval.spent_cents)).toBeGreaterThan(0);
    const missing = await call("POST", `/api/approvals/${approval.id}`, { decision: "approve" });
    expect(missing).toMatchObject({ status: 422, body: { error: { issues: [{ path: "extend_cents" }] } } });
    const extended = await call("POST", `/api/approvals/${approval.id}`, { decision: "approve", extend_cents: "100" });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    const run = await finishedRun(call, runId);
    expect(run.status, run.error_summary).toBe("succeeded");
    expect(stack.sim.calls).toHaveLength(3);
    const resolved = (await events(runId)).find((e) => e.kind === "approval.resolved")?.payload;
    expect(resolved).toMatchObject({ decision: "approved", extendCents: "100" });
  });
});

describe("agent evals", () => {
  it("scores an agent's tool calls with tool_called and trajectory, the calls shown in the reasons", async () => {
    const wf = await call("POST", "/api/workflows", {
      name: "evaluated agent",
      graph_json: agentWorkflow({ prompt: "{{input.task}}" }),
    });
    const dataset = await call("POST", "/api/datasets", {
      name: "agent tasks",
      items: [
        { input_vars: { task: 'Use transform upper "a", then transform lower "B"' } },
        { input_vars: { task: "Say hello" } },
      ],
    });
    expect(dataset.status, JSON.stringify(dataset.body)).toBe(201);
    const started = await call("POST", `/api/workflows/${wf.body.id}/experiments`, {
      dataset_id: dataset.body.id,
      scorers: [
        { type: "tool_called", tool: "transform", min: 2 },
        {
          type: "trajectory",
          expected: [
            { tool: "transform", args: { operation: "upper" } },
            { tool: "transform", args: { operation: "lower" } },
          ],
          match: "exact",
        },
      ],
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let exp: { status: string; items: { scores: { scorer: string; pass: boolean; reason: string }[] }[] };
    for (;;) {
      exp = (await call("GET", `/api/experiments/${started.body.experimentId}`)).body;
      if (["succeeded", "failed", "canceled"].includes(exp.status)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const [tools, none] = exp.items;
    expect(tools?.scores.map((s) => s.pass)).toEqual([true, true]);
    expect(tools?.scores[0]?.reason).toBe(
      "transform called 2 times (expected at least 2); calls: transform, transform",
    );
    expect(none?.scores.map((s) => s.pass)).toEqual([false, false]);
    expect(none?.scores[1]?.reason).toBe("exact: expected transform, transform; got no tool calls");
  });
});

describe("the Research agent demo, offline", () => {
  it("fetches and reshapes, waits for a person before publishing, and answers with a structured object", async () => {
    const { demoAgent } = await import("../src/domain/workflow/examples.ts");
    const wf = await call("POST", "/api/workflows", { name: "Research agent", graph_json: demoAgent(stack.url) });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, {
      input_vars: { topic: "agent reliability" },
    });
    await waitingRun(call, started.body.runId);
    const [approval] = (await call("GET", `/api/approvals?run_id=${started.body.runId}`)).body.approvals;
    expect(approval).toMatchObject({
      kind: "tool",
      tool: "http.fetch",
      args: { url: `${stack.url}/demo/research.txt` },
    });
    await call("POST", `/api/approvals/${approval.id}`, { decision: "approve" });
    const run = await finishedRun(call, started.body.runId);
    expect(run.status, run.error_summary).toBe("succeeded");
    expect(await outputOf(run.id, "researcher")).toEqual({
      answer: expect.stringContaining("tool results"),
      sources: [],
    });
  });

  it("decides two pending tool approvals of one iteration independently", async () => {
    const wf = await call("POST", "/api/workflows", {
      name: "two approvals",
      graph_json: agentWorkflow({
        tools: [
          { tool: "transform", requireApproval: true },
          { tool: "csv.parse", requireApproval: true },
        ],
      }),
    });
    const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, {
      input_vars: { task: 'Use transform upper "a" and csv_parse "x,y"' },
    });
    const runId = started.body.runId as string;
    await waitingRun(call, runId);
    const pending = (await call("GET", `/api/approvals?run_id=${runId}`)).body.approvals;
    expect(pending.map((a: { tool: string }) => a.tool).sort()).toEqual(["csv.parse", "transform"]);
    // Both decided at once: the second lands while the run already resumed for the first.
    const decisions = await Promise.all([
      call("POST", `/api/approvals/${pending[0].id}`, { decision: "approve" }),
      call("POST", `/api/approvals/${pending[1].id}`, { decision: "reject", comment: "no CSV today" }),
    ]);
    expect(decisions.map((d) => d.status)).toEqual([200, 200]);
    const run = await finishedRun(call, runId);
    expect(run.status, run.error_summary).toBe("succeeded");
    const results = (await events(runId))
      .filter((e) => e.kind === "tool.response")
      .map((e) => [e.payload.tool, e.payload.isError ?? false]);
    expect(results.sort()).toEqual([
      ["csv.parse", true],
      ["transform", false],
    ]);
  });
});
