/**
 * `Workflow.metrics` over real runs (simulator behind the real SDKs): every figure is checked
 * against what the runs' own REST answers and trace events say.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishedRun, restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";
import { Cents } from "../domain/pricing/money.ts";

let stack: Stack;
const call = restClient(() => stack.url);

beforeAll(async () => {
  stack = await startStack({ latencyMs: 5 });
});
afterAll(() => stack.close());

const METRICS = `query($id: ID!, $range: MetricsRange!) {
  workflow(id: $id) {
    metrics(range: $range) {
      range bucket from to
      totals { runs succeeded failed p50LatencyMs p95LatencyMs costCents unpricedSteps llmSteps cacheHits cacheHitRate
        savedCents unpricedSavings executedSteps stepsWithRetries retryRate executedLlmSteps stepsWithFallbacks fallbackRate }
      series { start runs succeeded failed canceled active p50LatencyMs p95LatencyMs }
      costByModel { start model costCents steps unpricedSteps }
      nodes { nodeId nodeType runs failures failureRate p95LatencyMs meanCostCents pricedRuns slowestRunId mostExpensiveRunId }
    }
  }
}`;

// biome-ignore lint/suspicious/noExplicitAny: the test reads the answer's fields freely
async function metrics(id: string, range: string): Promise<any> {
  const res = await fetch(`${stack.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: METRICS, variables: { id, range } }),
  });
  const body = (await res.json()) as { data?: { workflow: { metrics: unknown } }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data?.workflow.metrics;
}

/** a: cached after the first run · b: a model without a price · c: fails at OpenAI, retries, falls back. */
const doc = chainOf([
  llmNode("a", { system: "metrics a" }),
  llmNode("b", { model: "my-finetune-x", cache: false }, { after: "a" }),
  llmNode("c", { fault: "status=503;count=5", retry: { attempts: 1 }, cache: false }, { after: "b" }),
]);

async function runThree() {
  const created = await call("POST", "/api/workflows", { name: "metrics", graph_json: doc });
  expect(created.status).toBe(201);
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const started = await call("POST", `/api/workflows/${created.body.id}/runs`, { input_vars: { topic: "x" } });
    runs.push(await finishedRun(call, started.body.runId));
  }
  return { workflowId: created.body.id as string, runs };
}

const sum = (values: (string | null)[]) => Cents.sum(values.map((v) => Cents.parse(v ?? "0"))).toString();

describe("Workflow.metrics", () => {
  it("agrees with the runs it covers", async () => {
    const { workflowId, runs } = await runThree();
    const other = await call("POST", "/api/workflows", { name: "other", graph_json: chainOf([llmNode("z")]) });
    await finishedRun(
      call,
      (await call("POST", `/api/workflows/${other.body.id}/runs`, { input_vars: {} })).body.runId,
    );
    const m = await metrics(workflowId, "H24");

    expect(m.range).toBe("H24");
    expect(m.bucket).toBe("hour");
    expect(m.series).toHaveLength(24);
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(m.totals).toMatchObject({ runs: 3, succeeded: 3, failed: 0, llmSteps: 9, cacheHits: 2, unpricedSteps: 3 });
    expect(m.series.reduce((n: number, b: { runs: number }) => n + b.runs, 0)).toBe(3);
    expect(m.totals.cacheHitRate).toBeCloseTo(2 / 9, 10);
    expect(m.totals.costCents).toBe(sum(runs.map((r) => r.total_cost_cents)));

    const events = await Promise.all(
      runs.map(async (r) => (await call("GET", `/api/runs/${r.id}/trace?limit=1000`)).body),
    );
    const all = events.flatMap((e) => e.events);
    const hits = all.filter((e: { kind: string }) => e.kind === "cache.hit");
    expect(hits).toHaveLength(2);
    expect(m.totals.savedCents).toBe(
      sum(hits.map((e: { payload: { savedCostCents: string } }) => e.payload.savedCostCents)),
    );
    // Executed: a once, b and c three times; c's faults make it retry and fall back (the simulator's
    // fault count is shared, so the events say how often).
    const stepsWith = (kind: string) =>
      new Set(all.filter((e: { kind: string }) => e.kind === kind).map((e: { step_id: string }) => e.step_id)).size;
    expect(stepsWith("retry")).toBeGreaterThan(0);
    expect(stepsWith("fallback")).toBeGreaterThan(0);
    expect(m.totals).toMatchObject({
      executedSteps: 7,
      executedLlmSteps: 7,
      stepsWithRetries: stepsWith("retry"),
      stepsWithFallbacks: stepsWith("fallback"),
    });
    expect(m.totals.fallbackRate).toBeCloseTo(stepsWith("fallback") / 7, 10);
    expectCostsByModel(m.costByModel, runs, all);
    expectNodes(m.nodes, runs);
  });

  it("counts a run in the range it was created in, and answers empty ranges with nulls, not zeros", async () => {
    const created = await call("POST", "/api/workflows", { name: "old", graph_json: chainOf([llmNode("x")]) });
    const empty = await metrics(created.body.id, "D7");
    expect(empty.totals).toMatchObject({
      runs: 0,
      p50LatencyMs: null,
      cacheHitRate: null,
      retryRate: null,
      costCents: "0",
    });
    expect(empty.series).toHaveLength(7);
    expect(empty.nodes).toEqual([]);

    const run = await call("POST", `/api/workflows/${created.body.id}/runs`, { input_vars: { topic: "y" } });
    await finishedRun(call, run.body.runId);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    await stack.prisma.workflowRun.update({ where: { id: run.body.runId }, data: { createdAt: twoDaysAgo } });
    expect((await metrics(created.body.id, "H24")).totals.runs).toBe(0);
    const week = await metrics(created.body.id, "D7");
    expect(week.totals.runs).toBe(1);
    const day = twoDaysAgo.toISOString().slice(0, 10);
    expect(week.series.find((b: { start: string }) => b.start.startsWith(day)).runs).toBe(1);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: REST and GraphQL answers as the test reads them
function expectCostsByModel(rows: any[], runs: any[], events: any[]) {
  const byModel = new Map<string, string>();
  for (const e of events.filter((x: { kind: string }) => x.kind === "llm.response")) {
    const model = `${e.payload.provider}/${e.payload.model}`;
    byModel.set(model, sum([byModel.get(model) ?? "0", e.payload.costCents]));
  }
  const answered = new Map(rows.map((r) => [r.model, r]));
  expect(new Set(answered.keys())).toEqual(new Set(byModel.keys()));
  for (const [model, cost] of byModel) expect(answered.get(model).costCents, model).toBe(cost);
  expect(answered.get("openai/my-finetune-x")).toMatchObject({ steps: 3, unpricedSteps: 3, costCents: "0" });
  expect(sum(rows.map((r) => r.costCents))).toBe(sum(runs.map((r) => r.total_cost_cents)));
}

// biome-ignore lint/suspicious/noExplicitAny: REST and GraphQL answers as the test reads them
function expectNodes(nodes: any[], runs: any[]) {
  expect(nodes.map((n) => n.nodeId)).toEqual(["a", "b", "c"]);
  const steps = (node: string) =>
    runs.map((r) => ({ run: r.id, ...r.steps.find((s: { node_id: string }) => s.node_id === node) }));
  /** The runs whose step of `node` took longest (latencies in ms can tie). */
  const slowest = (node: string) => {
    const max = Math.max(...steps(node).map((s) => s.latency_ms));
    return steps(node)
      .filter((s) => s.latency_ms === max)
      .map((s) => s.run);
  };
  for (const n of nodes) {
    expect(n).toMatchObject({ runs: 3, failures: 0, failureRate: 0 });
    expect(slowest(n.nodeId)).toContain(n.slowestRunId);
  }
  const b = nodes.find((n) => n.nodeId === "b");
  expect(b).toMatchObject({ meanCostCents: null, pricedRuns: 0, mostExpensiveRunId: null });
  const c = nodes.find((n) => n.nodeId === "c");
  const cCosts = steps("c").map((s) => s.cost_cents as string);
  expect(Number(c.meanCostCents)).toBeCloseTo(Number(sum(cCosts)) / 3, 12);
  const top = Math.max(...cCosts.map(Number));
  expect(
    steps("c")
      .filter((s) => Number(s.cost_cents) === top)
      .map((s) => s.run),
  ).toContain(c.mostExpensiveRunId);
}
