/** The metrics page's chart rows from `Workflow.metrics` (pure, unit-tested). Buckets are UTC. */
import type { WorkflowMetricsQuery } from "../../graphql/graphql.ts";

type Metrics = NonNullable<WorkflowMetricsQuery["workflow"]>["metrics"];

export function bucketLabel(iso: string, bucket: string): string {
  const d = new Date(iso);
  if (bucket === "hour") return `${String(d.getUTCHours()).padStart(2, "0")}:00`;
  return d.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

export function runRows(m: Metrics) {
  return m.series.map((b) => ({
    label: bucketLabel(b.start, m.bucket),
    succeeded: b.succeeded,
    failed: b.failed,
    canceled: b.canceled,
    active: b.active,
  }));
}

export function latencyRows(m: Metrics) {
  return m.series.map((b) => ({ label: bucketLabel(b.start, m.bucket), p50: b.p50LatencyMs, p95: b.p95LatencyMs }));
}

/** One row per bucket with one key per model (US dollars, for the chart's scale only). */
export function costRows(m: Metrics): { rows: Record<string, string | number>[]; models: string[] } {
  const models = [...new Set(m.costByModel.map((c) => c.model))].sort();
  const byStart = new Map<string, Record<string, string | number>>();
  for (const b of m.series) byStart.set(new Date(b.start).toISOString(), { label: bucketLabel(b.start, m.bucket) });
  for (const c of m.costByModel) {
    const row = byStart.get(new Date(c.start).toISOString());
    if (row) row[c.model] = Number(c.costCents) / 100;
  }
  return { rows: [...byStart.values()], models };
}

export type NodeRow = Metrics["nodes"][number];
export type NodeSortKey = "nodeId" | "runs" | "failureRate" | "p95LatencyMs" | "meanCostCents";

/** Sorted a copy; unknown values (null) always last, whatever the direction. */
export function sortNodes(nodes: readonly NodeRow[], key: NodeSortKey, descending: boolean): NodeRow[] {
  const value = (n: NodeRow): string | number | null =>
    key === "nodeId"
      ? n.nodeId
      : key === "meanCostCents"
        ? n.meanCostCents === null
          ? null
          : Number(n.meanCostCents)
        : n[key];
  return [...nodes].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  });
}

export const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(rate < 0.1 && rate > 0 ? 1 : 0)}%`;
