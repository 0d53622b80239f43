/**
 * 7. Workflow metrics page: `Workflow.metrics` over `runs` seeded runs (5 steps each, spread over 30
 * days, a tenth with a retry and a twentieth with a fallback, a fifth answered from the cache),
 * against the baseline of the same run: reading the same runs' rows (one SELECT of the columns the
 * page aggregates). Reported per range, as medians and a ratio.
 */
import { workflowMetrics } from "../server/src/services/workflow-metrics.ts";
import { setup } from "./engine.bench.ts";
import { compare } from "./lib.ts";

export interface MetricsBench {
  runs: number;
  steps: number;
  seedSeconds: number;
  ranges: { range: string; runsInRange: number; metricsMs: number; readRowsMs: number; ratio: number }[];
}

export async function seed(env: Awaited<ReturnType<typeof setup>>, runs: number): Promise<string> {
  const wf = await env.prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: "metrics bench", graphJson: { nodes: [], edges: [] } },
  });
  await env.pool.query(
    `INSERT INTO workflow_runs (id, workflow_id, status, created_at, started_at, finished_at, total_tokens, total_cost_cents, waited_ms)
     SELECT gen_random_uuid(), $1::uuid,
       (CASE WHEN i % 17 = 0 THEN 'failed' ELSE 'succeeded' END)::run_status,
       now() - (i * interval '30 days' / $2), now() - (i * interval '30 days' / $2),
       now() - (i * interval '30 days' / $2) + ((200 + i % 800) * interval '1 millisecond'), 900, 0.0123, 0
     FROM generate_series(1, $2) AS i`,
    [wf.id, runs],
  );
  await env.pool.query(
    `INSERT INTO run_steps (id, run_id, node_id, node_type, status, started_at, finished_at, latency_ms, tokens_input, tokens_output, cost_cents, model, cached, saved_cost_cents)
     SELECT gen_random_uuid(), r.id, 'n' || k, 'llm', 'succeeded', r.started_at, r.finished_at, 40 + (k * 13 + length(r.id::text)) % 200,
       100, 80, CASE WHEN k = 5 THEN NULL ELSE 0.00246 END,
       CASE WHEN k % 2 = 0 THEN 'openai/gpt-4o-mini' ELSE 'anthropic/claude-3-5-haiku-20241022' END,
       k = 1 AND r.created_at::time < '04:48', CASE WHEN k = 1 THEN 0.002 END
     FROM workflow_runs r, generate_series(1, 5) AS k WHERE r.workflow_id = $1::uuid`,
    [wf.id],
  );
  await env.pool.query(
    `INSERT INTO trace_events (run_id, step_id, seq, ts, kind, payload)
     SELECT s.run_id, s.id, 1000 + g, s.started_at, CASE WHEN g = 1 THEN 'retry' ELSE 'fallback' END, '{}'
     FROM run_steps s JOIN workflow_runs r ON r.id = s.run_id, generate_series(1, 2) AS g
     WHERE r.workflow_id = $1::uuid AND s.node_id = 'n2' AND (g = 1 AND abs(hashtext(s.id::text)) % 10 = 0 OR g = 2 AND abs(hashtext(s.id::text)) % 20 = 0)`,
    [wf.id],
  );
  await env.pool.query("ANALYZE");
  return wf.id;
}

export async function benchMetrics(options: { runs: number; samples: number }): Promise<MetricsBench> {
  const env = await setup();
  try {
    const t = performance.now();
    const workflowId = await seed(env, options.runs);
    const seedSeconds = Math.round(performance.now() - t) / 1000;
    const ranges = [];
    for (const range of ["24h", "7d", "30d"] as const) {
      let runsInRange = 0;
      const m = await compare({
        name: `metrics ${range}`,
        baselineName: "read the range's run and step rows",
        samples: options.samples,
        warmup: 1,
        subject: async () => {
          runsInRange = (await workflowMetrics({ prisma: env.prisma }, workflowId, range)).totals.runs;
        },
        baseline: () => readRows(env, workflowId, range),
      });
      ranges.push({ range, runsInRange, metricsMs: m.subjectMedian, readRowsMs: m.baselineMedian, ratio: m.ratio });
    }
    return { runs: options.runs, steps: 5, seedSeconds, ranges };
  } finally {
    await env.close();
  }
}

/** The baseline: fetch the rows the page aggregates (runs and their steps in the range) to the client. */
async function readRows(env: Awaited<ReturnType<typeof setup>>, workflowId: string, range: string) {
  const days = range === "24h" ? 1 : Number.parseInt(range, 10);
  await env.pool.query(
    `SELECT r.status, r.started_at, r.finished_at, s.node_id, s.latency_ms, s.cost_cents, s.model, s.cached
     FROM workflow_runs r JOIN run_steps s ON s.run_id = r.id
     WHERE r.workflow_id = $1::uuid AND r.created_at >= now() - $2 * interval '1 day'`,
    [workflowId, days],
  );
}
