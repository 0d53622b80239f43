/**
 * How long the run view takes to draw a big run: 200 steps and 10,000 trace events, seeded straight
 * into the database. Figures, not thresholds: the test checks what is drawn and writes the times to
 * test-artifacts/render-figures.json (the closing note and docs/performance.md quote them).
 */
import { writeFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../server/test/helpers/process.ts";
import { type Harness, startHarness } from "./harness.ts";

const STEPS = 200;
const PER_STEP = 50; // 200 × 50 = 10,000 events
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_SEED_DEMO: "0" });
}, 120_000);
afterAll(() => harness?.close());

function stepEvents(i: number, stepId: string, t0: number) {
  const node = `n${i}`;
  const at = (ms: number) => new Date(t0 + i * 100 + ms).toISOString();
  const usage = { inputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 0 };
  const rows: [string | null, string, string, object][] = [
    [stepId, at(0), "step.started", { nodeId: node, type: "llm" }],
    [stepId, at(1), "llm.request", { provider: "openai", model: "gpt-4o-mini", prompt: `prompt ${i}`, attempt: 1 }],
  ];
  for (let k = 0; k < PER_STEP - 4; k++)
    rows.push([stepId, at(2 + k), "log", { level: "info", message: `note ${i}.${k}` }]);
  rows.push([
    stepId,
    at(80),
    "llm.response",
    {
      provider: "openai",
      model: "gpt-4o-mini",
      text: `answer ${i}`,
      usage,
      costCents: "0.0042",
      latencyMs: 78,
      attempt: 1,
    },
  ]);
  rows.push([
    stepId,
    at(90),
    "step.finished",
    {
      nodeId: node,
      latencyMs: 90,
      tokensInput: 50,
      tokensOutput: 20,
      costCents: "0.0042",
      cached: false,
      activeEdges: [i - 1],
    },
  ]);
  return rows;
}

async function seedBigRun(): Promise<string> {
  const nodes = Array.from({ length: STEPS }, (_, i) => ({
    id: `n${i + 1}`,
    type: "llm",
    name: `n${i + 1}`,
    config: { provider: "openai", model: "gpt-4o-mini" },
  }));
  const edges = nodes.slice(1).map((n, i) => ({ from: `n${i + 1}`, to: n.id }));
  const graph = { version: "1", entry: "n1", nodes, edges };
  const client = new pg.Client({ connectionString: harness.dbUrl });
  await client.connect();
  try {
    const wf = await client.query(
      `INSERT INTO workflows (id, project_id, name, graph_json, updated_at) VALUES (gen_random_uuid(), (SELECT id FROM projects WHERE name = 'default'), 'big', $1, now()) RETURNING id`,
      [graph],
    );
    const t0 = Date.now() - 60_000;
    const run = await client.query(
      `INSERT INTO workflow_runs (id, workflow_id, status, graph_snapshot, started_at, finished_at, total_tokens, total_cost_cents)
       VALUES (gen_random_uuid(), $1, 'succeeded', $2, $3, $4, ${STEPS * 70}, ${STEPS} * 0.0042) RETURNING id`,
      [wf.rows[0].id, graph, new Date(t0), new Date(t0 + STEPS * 100 + 100)],
    );
    const runId = run.rows[0].id as string;
    const steps = await client.query(
      `INSERT INTO run_steps (id, run_id, node_id, node_type, status, latency_ms, tokens_input, tokens_output, cost_cents, model)
       SELECT gen_random_uuid(), $1, 'n' || i, 'llm', 'succeeded', 90, 50, 20, 0.0042, 'openai/gpt-4o-mini' FROM generate_series(1, ${STEPS}) i
       RETURNING id, node_id`,
      [runId],
    );
    const idOf = new Map(steps.rows.map((r) => [r.node_id, r.id]));
    const rows = Array.from({ length: STEPS }, (_, i) => stepEvents(i + 1, idOf.get(`n${i + 1}`), t0)).flat();
    rows[0] = [
      null,
      new Date(t0).toISOString(),
      "run.started",
      { workflowId: wf.rows[0].id, inputVars: {}, nodes: [], parallel: false, simulated: true, limits: {} },
    ];
    rows[rows.length - 1] = [
      null,
      new Date(t0 + STEPS * 100 + 100).toISOString(),
      "run.finished",
      { status: "succeeded" },
    ];
    await client.query(
      `INSERT INTO trace_events (run_id, step_id, seq, ts, kind, payload)
       SELECT $1, s::uuid, n, t::timestamptz, k, p::jsonb FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) AS x(s, n, t, k, p)`,
      [
        runId,
        rows.map((r) => r[0]),
        rows.map((_, i) => i + 1),
        rows.map((r) => r[1]),
        rows.map((r) => r[2]),
        rows.map((r) => JSON.stringify(r[3])),
      ],
    );
    return runId;
  } finally {
    await client.end();
  }
}

describe("big run rendering", () => {
  it("draws a 200-step, 10,000-event run's waterfall and timeline (times reported, not asserted)", async () => {
    const runId = await seedBigRun();
    const { page, base } = harness;
    await page.goto(`${base}/workflows`); // the app shell loaded, so the figure is the run view's own
    const t0 = Date.now();
    await page.goto(`${base}/runs/${runId}`);
    await page.locator(`.wf-row[data-node="n${STEPS}"]`).waitFor({ timeout: 60_000 });
    const waterfallMs = Date.now() - t0;
    expect(await page.locator(".wf-row").count()).toBe(STEPS);
    const t1 = Date.now();
    await page.getByRole("tab", { name: "Timeline" }).click();
    await page.locator('.timeline-row[data-kind="run.finished"]').waitFor();
    const timelineMs = Date.now() - t1;
    expect(await page.getByTestId("timeline-count").textContent()).toBe("10,000 events");
    const t2 = Date.now();
    await page.getByLabel("Search events").fill("note 150.3");
    await expect.poll(() => page.getByTestId("timeline-count").textContent()).toMatch(/^\d+ of 10,000 events$/);
    const searchMs = Date.now() - t2;
    const figures = { steps: STEPS, events: STEPS * PER_STEP, waterfallMs, timelineMs, searchMs };
    console.log("render figures", figures);
    await writeFile(`${ROOT}test-artifacts/render-figures.json`, `${JSON.stringify(figures, null, 2)}\n`);
  });
});
