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
  const [series, costByModel, totals, nodes] = await Promise.all([
    runSeries(deps, window, args),
    modelCosts(deps, window, args),
    metricsTotals(deps, args),
    nodeMetrics(deps, args),
  ]);
  return { window, totals, series, costByModel, nodes };
}

/** PostgreSQL's numeric text ("0.123000000000") in the API's canonical form ("0.123"). */
const exactCents = (text: string) => Cents.parse(text).toString();

type Args = readonly [string, Date, Date];

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));

async function runSeries(deps: Deps, window: MetricsWindow, args: Args): Promise<MetricsBucketRow[]> {
  const rows = await deps.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT date_trunc('${window.bucket}', r.created_at, 'UTC') AS bucket,
       count(*)::int AS runs,
       count(*) FILTER (WHERE r.status = 'succeeded')::int AS succeeded,
       count(*) FILTER (WHERE r.status = 'failed')::int AS failed,
       count(*) FILTER (WHERE r.status = 'canceled')::int AS canceled,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ${RUN_MS}) FILTER (WHERE r.finished_at IS NOT NULL) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY ${RUN_MS}) FILTER (WHERE r.finished_at IS NOT NULL) AS p95
     FROM workflow_runs r WHERE ${IN_WINDOW} GROUP BY 1`,
    ...args,
  );
  const byStart = new Map(rows.map((row) => [utcTime(row.bucket), row]));
  return window.buckets.map((start) => {
    const row = byStart.get(start.getTime());
    const runs = Number(row?.runs ?? 0);
    const ended = Number(row?.succeeded ?? 0) + Number(row?.failed ?? 0) + Number(row?.canceled ?? 0);
    return {
      start,
      runs,
      succeeded: Number(row?.succeeded ?? 0),
      failed: Number(row?.failed ?? 0),
      canceled: Number(row?.canceled ?? 0),
      active: runs - ended,
      p50LatencyMs: num(row?.p50),
      p95LatencyMs: num(row?.p95),
    };
  });
}

/** A bucket start as PostgreSQL answered it (a timestamptz: a Date; a string from some drivers). */
function utcTime(v: unknown): number {
  return v instanceof Date ? v.getTime() : new Date(String(v)).getTime();
}

async function modelCosts(deps: Deps, window: MetricsWindow, args: Args): Promise<ModelCostRow[]> {
  const rows = await deps.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT date_trunc('${window.bucket}', r.created_at, 'UTC') AS bucket,
       COALESCE(s.model, 'unknown model') AS model,
       COALESCE(sum(s.cost_cents), 0)::text AS cost,
       count(*)::int AS steps,
       count(*) FILTER (WHERE s.cost_cents IS NULL)::int AS unpriced
     FROM run_steps s JOIN workflow_runs r ON r.id = s.run_id
     WHERE ${IN_WINDOW} AND s.node_type = 'llm' AND s.status = 'succeeded' AND NOT s.reused AND NOT s.cached
     GROUP BY 1, 2 ORDER BY 1, 2`,
    ...args,
  );
  return rows.map((row) => ({
    start: new Date(utcTime(row.bucket)),
    model: String(row.model),
    costCents: exactCents(String(row.cost)),
    steps: Number(row.steps),
    unpricedSteps: Number(row.unpriced),
  }));
}

async function metricsTotals(deps: Deps, args: Args): Promise<MetricsTotals> {
  const [runs, steps, events] = await Promise.all([
    runTotals(deps, args),
    stepTotals(deps, args),
    eventTotals(deps, args),
  ]);
  return {
    runs: Number(runs.runs),
    succeeded: Number(runs.succeeded),
    failed: Number(runs.failed),
    p50LatencyMs: num(runs.p50),
    p95LatencyMs: num(runs.p95),
    costCents: exactCents(String(steps.cost)),
    unpricedSteps: Number(steps.unpriced),
    llmSteps: Number(steps.llm),
    cacheHits: Number(steps.hits),
    cacheHitRate: rate(Number(steps.hits), Number(steps.llm)),
    savedCents: exactCents(String(steps.saved)),
    unpricedSavings: Number(steps.unpriced_saved),
    executedSteps: Number(steps.executed),
    stepsWithRetries: events.retry,
    retryRate: rate(events.retry, Number(steps.executed)),
    executedLlmSteps: Number(steps.executed_llm),
    stepsWithFallbacks: events.fallback,
    fallbackRate: rate(events.fallback, Number(steps.executed_llm)),
  };
}

async function runTotals(deps: Deps, args: Args) {
  const [row] = await deps.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT count(*)::int AS runs,
       count(*) FILTER (WHERE r.status = 'succeeded')::int AS succeeded,
       count(*) FILTER (WHERE r.status = 'failed')::int AS failed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ${RUN_MS}) FILTER (WHERE r.finished_at IS NOT NULL) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY ${RUN_MS}) FILTER (WHERE r.finished_at IS NOT NULL) AS p95
     FROM workflow_runs r WHERE ${IN_WINDOW}`,
    ...args,
  );
  return row ?? {};
}

async function stepTotals(deps: Deps, args: Args) {
  const executed = `s.status IN ('succeeded', 'failed', 'canceled') AND NOT s.reused AND NOT s.cached`;
  const [row] = await deps.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT
       COALESCE(sum(s.cost_cents) FILTER (WHERE s.status = 'succeeded' AND NOT s.reused), 0)::text AS cost,
       count(*) FILTER (WHERE s.node_type = 'llm' AND s.status = 'succeeded' AND NOT s.reused AND NOT s.cached AND s.cost_cents IS NULL)::int AS unpriced,
       count(*) FILTER (WHERE s.node_type = 'llm' AND s.status = 'succeeded' AND NOT s.reused)::int AS llm,
       count(*) FILTER (WHERE s.cached)::int AS hits,
       COALESCE(sum(s.saved_cost_cents) FILTER (WHERE s.cached), 0)::text AS saved,
       count(*) FILTER (WHERE s.cached AND s.saved_cost_cents IS NULL)::int AS unpriced_saved,
       count(*) FILTER (WHERE s.node_type IN ('llm', 'tool') AND ${executed})::int AS executed,
       count(*) FILTER (WHERE s.node_type = 'llm' AND ${executed})::int AS executed_llm
     FROM run_steps s JOIN workflow_runs r ON r.id = s.run_id WHERE ${IN_WINDOW}`,
    ...args,
  );
  return row ?? {};
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

async function nodeMetrics(deps: Deps, args: Args): Promise<NodeMetricsRow[]> {
  const rows = await deps.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT s.node_id, s.node_type::text AS node_type,
       count(*)::int AS runs,
       count(*) FILTER (WHERE s.status = 'failed')::int AS failures,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY s.latency_ms) AS p95,
       round(avg(s.cost_cents), 12)::text AS mean_cost,
       count(s.cost_cents)::int AS priced,
       (array_agg(s.run_id ORDER BY s.latency_ms DESC NULLS LAST))[1]::text AS slowest,
       (array_agg(s.run_id ORDER BY s.cost_cents DESC NULLS LAST) FILTER (WHERE s.cost_cents > 0))[1]::text AS priciest
     FROM run_steps s JOIN workflow_runs r ON r.id = s.run_id
     WHERE ${IN_WINDOW} AND s.status IN ('succeeded', 'failed', 'canceled')
     GROUP BY s.node_id, s.node_type ORDER BY s.node_id`,
    ...args,
  );
  return rows.map((row) => ({
    nodeId: String(row.node_id),
    nodeType: String(row.node_type),
    runs: Number(row.runs),
    failures: Number(row.failures),
    failureRate: rate(Number(row.failures), Number(row.runs)),
    p95LatencyMs: num(row.p95),
    meanCostCents: row.mean_cost === null ? null : exactCents(String(row.mean_cost)),
    pricedRuns: Number(row.priced),
    slowestRunId: (row.slowest as string | null) ?? null,
    mostExpensiveRunId: (row.priciest as string | null) ?? null,
  }));
}
