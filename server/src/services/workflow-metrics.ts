/**
 * A workflow's metrics over a time range (GraphQL `Workflow.metrics`): runs by status, run latency
 * percentiles, cost by model, cache hits and savings, retry and fallback rates, and a per-node
 * table. Every figure is one SQL aggregate over the runs created in the window (index
 * workflow_runs(workflow_id, created_at)), their steps (run_steps(run_id, node_id)) and their retry
 * and fallback events (a partial index on trace_events). Money is summed as exact decimals in
 * PostgreSQL and answered as decimal strings; a model without a price is counted, never summed as 0.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { type MetricsRange, type MetricsWindow, metricsWindow, rate } from "../domain/metrics/range.ts";
import { Cents } from "../domain/pricing/money.ts";

type Deps = { prisma: PrismaClient };

export interface MetricsBucketRow {
  start: Date;
  runs: number;
  succeeded: number;
  failed: number;
  canceled: number;
  /** Queued, running or waiting for an approval. */
  active: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface ModelCostRow {
  start: Date;
  model: string;
  costCents: string;
  steps: number;
  unpricedSteps: number;
}

export interface NodeMetricsRow {
  nodeId: string;
  nodeType: string;
  runs: number;
  failures: number;
  failureRate: number | null;
  p95LatencyMs: number | null;
  /** Mean over the node's priced steps; null when none had a price. */
  meanCostCents: string | null;
  pricedRuns: number;
  slowestRunId: string | null;
  mostExpensiveRunId: string | null;
}

export interface WorkflowMetrics {
  window: MetricsWindow;
  totals: MetricsTotals;
  series: MetricsBucketRow[];
  costByModel: ModelCostRow[];
  nodes: NodeMetricsRow[];
}

export interface MetricsTotals {
  runs: number;
  succeeded: number;
  failed: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  costCents: string;
  /** Succeeded LLM steps without a price: costCents is then a lower bound. */
  unpricedSteps: number;
  llmSteps: number;
  cacheHits: number;
  cacheHitRate: number | null;
  savedCents: string;
  /** Cache hits whose original call had no price (their saving is unknown, not in savedCents). */
  unpricedSavings: number;
  /** LLM and tool steps that were executed (not reused, skipped or answered from the cache). */
  executedSteps: number;
  stepsWithRetries: number;
  retryRate: number | null;
  executedLlmSteps: number;
  stepsWithFallbacks: number;
  fallbackRate: number | null;
}

/** Runs of `workflowId` created in [from, to): the filter every query starts from. */
const IN_WINDOW = `r.workflow_id = $1::uuid AND r.created_at >= $2 AND r.created_at < $3`;
/** Active run time: wall clock minus time waiting for approvals. */
const RUN_MS = `(EXTRACT(EPOCH FROM (r.finished_at - r.started_at)) * 1000 - r.waited_ms)`;

export async function workflowMetrics(
  deps: Deps,
  workflowId: string,
  range: MetricsRange,
  now = new Date(),
): Promise<WorkflowMetrics> {
  const window = metricsWindow(range, now);
  const args = [workflowId, window.from, window.to] as const;
  // Three statements, each one pass over its rows: runs, steps (every step figure from one scan of
  // the range's steps), retry/fallback events.
  const [runs, steps, events] = await Promise.all([
    runFigures(deps, window, args),
    stepFigures(deps, window, args),
    eventTotals(deps, args),
  ]);
  return {
    window,
    totals: totalsOf(runs.totals, steps.totals, events),
    series: seriesOf(window, runs.buckets),
    costByModel: steps.models.map(modelCostRow),
    nodes: steps.nodes.map(nodeRow),
  };
}

type Args = readonly [string, Date, Date];
type Row = Record<string, unknown>;

/** PostgreSQL's numeric text ("0.123000000000") in the API's canonical form ("0.123"). */
const exactCents = (text: unknown) => Cents.parse(String(text ?? "0")).toString();
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));
const PERCENTILES = (ms: string, filter = "") => `
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ms}) ${filter} AS p50,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY ${ms}) ${filter} AS p95`;

async function runFigures(deps: Deps, window: MetricsWindow, args: Args): Promise<{ totals: Row; buckets: Row[] }> {
  const ended = "FILTER (WHERE r.finished_at IS NOT NULL)";
  const counts = `count(*)::int AS runs,
    count(*) FILTER (WHERE r.status = 'succeeded')::int AS succeeded,
    count(*) FILTER (WHERE r.status = 'failed')::int AS failed,
    count(*) FILTER (WHERE r.status = 'canceled')::int AS canceled, ${PERCENTILES(RUN_MS, ended)}`;
  const [row] = await deps.prisma.$queryRawUnsafe<{ totals: Row; buckets: Row[] | null }[]>(
    `WITH r AS MATERIALIZED (
       SELECT r.created_at, r.status, r.started_at, r.finished_at, r.waited_ms FROM workflow_runs r WHERE ${IN_WINDOW})
     SELECT (SELECT row_to_json(t) FROM (SELECT ${counts} FROM r) t) AS totals,
       (SELECT json_agg(b) FROM (
          SELECT date_trunc('${window.bucket}', r.created_at, 'UTC') AS bucket, ${counts} FROM r GROUP BY 1
       ) b) AS buckets`,
    ...args,
  );
  return { totals: row?.totals ?? {}, buckets: row?.buckets ?? [] };
}

function seriesOf(window: MetricsWindow, rows: Row[]): MetricsBucketRow[] {
  const byStart = new Map(rows.map((row) => [new Date(String(row.bucket)).getTime(), row]));
  return window.buckets.map((start) => {
    const row = byStart.get(start.getTime()) ?? {};
    const [runs, succeeded, failed, canceled] = [row.runs, row.succeeded, row.failed, row.canceled].map(Number);
    return {
      start,
      runs: runs || 0,
      succeeded: succeeded || 0,
      failed: failed || 0,
      canceled: canceled || 0,
      active: (runs || 0) - (succeeded || 0) - (failed || 0) - (canceled || 0),
      p50LatencyMs: num(row.p50),
      p95LatencyMs: num(row.p95),
    };
  });
}

/**
 * The range's steps, read once: cost by model per bucket, the step totals, the per-node table. The
 * steps are looked up run by run (`LATERAL … OFFSET 0` keeps PostgreSQL from flattening it into a
 * hash join that scans every step of every workflow: measured 3× slower for a day of 100,000 runs).
 */
async function stepFigures(deps: Deps, window: MetricsWindow, args: Args) {
  const executed = `s.status IN ('succeeded', 'failed', 'canceled') AND NOT s.reused AND NOT s.cached`;
  const paidLlm = "s.node_type = 'llm' AND s.status = 'succeeded' AND NOT s.reused AND NOT s.cached";
  const [row] = await deps.prisma.$queryRawUnsafe<{ models: Row[] | null; totals: Row; nodes: Row[] | null }[]>(
    `WITH s AS MATERIALIZED (
       SELECT r.created_at AS run_created_at, s.*
       FROM workflow_runs r CROSS JOIN LATERAL (
         SELECT s.run_id, s.node_id, s.node_type, s.status, s.latency_ms, s.cost_cents, s.model, s.cached,
           s.saved_cost_cents, s.reused
         FROM run_steps s WHERE s.run_id = r.id AND s.status IN ('succeeded', 'failed', 'canceled') OFFSET 0) s
       WHERE ${IN_WINDOW})
     SELECT
       (SELECT json_agg(m) FROM (
          SELECT date_trunc('${window.bucket}', s.run_created_at, 'UTC') AS bucket, COALESCE(s.model, 'unknown model') AS model,
            COALESCE(sum(s.cost_cents), 0)::text AS cost, count(*)::int AS steps, count(*) FILTER (WHERE s.cost_cents IS NULL)::int AS unpriced
          FROM s WHERE ${paidLlm} GROUP BY 1, 2 ORDER BY 1, 2) m) AS models,
       (SELECT row_to_json(t) FROM (SELECT
          COALESCE(sum(s.cost_cents) FILTER (WHERE s.status = 'succeeded' AND NOT s.reused), 0)::text AS cost,
          count(*) FILTER (WHERE ${paidLlm} AND s.cost_cents IS NULL)::int AS unpriced,
          count(*) FILTER (WHERE s.node_type = 'llm' AND s.status = 'succeeded' AND NOT s.reused)::int AS llm,
          count(*) FILTER (WHERE s.cached)::int AS hits,
          COALESCE(sum(s.saved_cost_cents) FILTER (WHERE s.cached), 0)::text AS saved,
          count(*) FILTER (WHERE s.cached AND s.saved_cost_cents IS NULL)::int AS unpriced_saved,
          count(*) FILTER (WHERE s.node_type IN ('llm', 'tool') AND ${executed})::int AS executed,
          count(*) FILTER (WHERE s.node_type = 'llm' AND ${executed})::int AS executed_llm
        FROM s) t) AS totals,
       (SELECT json_agg(n) FROM (
          SELECT s.node_id, s.node_type::text AS node_type, count(*)::int AS runs,
            count(*) FILTER (WHERE s.status = 'failed')::int AS failures,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY s.latency_ms) AS p95,
            round(avg(s.cost_cents), 12)::text AS mean_cost, count(s.cost_cents)::int AS priced,
            (array_agg(s.run_id ORDER BY s.latency_ms DESC NULLS LAST))[1] AS slowest,
            (array_agg(s.run_id ORDER BY s.cost_cents DESC NULLS LAST) FILTER (WHERE s.cost_cents > 0))[1] AS priciest
          FROM s GROUP BY s.node_id, s.node_type ORDER BY s.node_id) n) AS nodes`,
    ...args,
  );
  return { models: row?.models ?? [], totals: row?.totals ?? {}, nodes: row?.nodes ?? [] };
}

const modelCostRow = (row: Row): ModelCostRow => ({
  start: new Date(String(row.bucket)),
  model: String(row.model),
  costCents: exactCents(row.cost),
  steps: Number(row.steps),
  unpricedSteps: Number(row.unpriced),
});

const nodeRow = (row: Row): NodeMetricsRow => ({
  nodeId: String(row.node_id),
  nodeType: String(row.node_type),
  runs: Number(row.runs),
  failures: Number(row.failures),
  failureRate: rate(Number(row.failures), Number(row.runs)),
  p95LatencyMs: num(row.p95),
  meanCostCents: row.mean_cost === null ? null : exactCents(row.mean_cost),
  pricedRuns: Number(row.priced),
  slowestRunId: (row.slowest as string | null) ?? null,
  mostExpensiveRunId: (row.priciest as string | null) ?? null,
});

function totalsOf(runs: Row, steps: Row, events: { retry: number; fallback: number }): MetricsTotals {
  const [executed, executedLlm, hits, llm] = [steps.executed, steps.executed_llm, steps.hits, steps.llm].map(Number);
  return {
    runs: Number(runs.runs ?? 0),
    succeeded: Number(runs.succeeded ?? 0),
    failed: Number(runs.failed ?? 0),
    p50LatencyMs: num(runs.p50),
    p95LatencyMs: num(runs.p95),
    costCents: exactCents(steps.cost),
    unpricedSteps: Number(steps.unpriced ?? 0),
    llmSteps: llm || 0,
    cacheHits: hits || 0,
    cacheHitRate: rate(hits || 0, llm || 0),
    savedCents: exactCents(steps.saved),
    unpricedSavings: Number(steps.unpriced_saved ?? 0),
    executedSteps: executed || 0,
    stepsWithRetries: events.retry,
    retryRate: rate(events.retry, executed || 0),
    executedLlmSteps: executedLlm || 0,
    stepsWithFallbacks: events.fallback,
    fallbackRate: rate(events.fallback, executedLlm || 0),
  };
}

/** Steps with at least one retry / fallback event (the partial index trace_events_retry_fallback_idx). */
async function eventTotals(deps: Deps, args: Args): Promise<{ retry: number; fallback: number }> {
  const rows = await deps.prisma.$queryRawUnsafe<{ kind: string; steps: number }[]>(
    `SELECT e.kind, count(DISTINCT e.step_id)::int AS steps
     FROM trace_events e JOIN workflow_runs r ON r.id = e.run_id
     WHERE ${IN_WINDOW} AND e.kind IN ('retry', 'fallback') GROUP BY e.kind`,
    ...args,
  );
  const of = (kind: string) => Number(rows.find((r) => r.kind === kind)?.steps ?? 0);
  return { retry: of("retry"), fallback: of("fallback") };
}
