/** The workflow metrics charts (Recharts, as the experiment pages): runs by status, latency, cost by model. */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { WorkflowMetricsQuery } from "../../graphql/graphql.ts";
import { NON_STATUS_COLORS, seriesColor } from "../../lib/chart-colors.ts";
import { formatMs } from "../../lib/format.ts";
import { costRows, latencyRows, runRows } from "./chart-data.ts";

type Metrics = NonNullable<WorkflowMetricsQuery["workflow"]>["metrics"];
const STATUS = [
  { key: "succeeded", color: "#16a34a" },
  { key: "failed", color: "#dc2626" },
  { key: "canceled", color: "#6b7280" },
  { key: "active", color: "#2563eb" },
];

/** Cost per bucket by model, stacked; unpriced steps are counted in the caption, never drawn as 0. */
function CostChart({ metrics: m, per }: { metrics: Metrics; per: string }) {
  const cost = costRows(m);
  const unpriced = m.costByModel.reduce((n, c) => n + c.unpricedSteps, 0);
  return (
    <figure className="chart" aria-label={`Cost per ${per} by model`}>
      <figcaption>
        Cost per {per} by model (USD)
        {unpriced ? ` — ${unpriced} unpriced step${unpriced === 1 ? "" : "s"} not drawn (unknown)` : ""}
      </figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={cost.rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis tickFormatter={(v: number) => `$${v.toPrecision(2)}`} width={70} />
          <Tooltip formatter={(v) => (typeof v === "number" ? `$${v.toPrecision(3)}` : "—")} />
          <Legend />
          {cost.models.map((model, i) => (
            <Bar
              key={model}
              dataKey={model}
              stackId="cost"
              fill={seriesColor(i, NON_STATUS_COLORS)}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function MetricsCharts({ metrics: m }: { metrics: Metrics }) {
  const per = m.bucket === "hour" ? "hour" : "day";
  return (
    <div className="charts">
      <figure className="chart" aria-label={`Runs per ${per} by status`}>
        <figcaption>Runs per {per} by status</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={runRows(m)}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {STATUS.map((s) => (
              <Bar key={s.key} dataKey={s.key} stackId="runs" fill={s.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart" aria-label="Run latency p50 and p95">
        <figcaption>Run latency (active time, approval waits excluded)</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={latencyRows(m)}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis tickFormatter={(v: number) => formatMs(v)} width={64} />
            <Tooltip formatter={(v) => (typeof v === "number" ? formatMs(v) : "no ended runs")} />
            <Legend />
            <Line dataKey="p50" stroke="#2563eb" connectNulls={false} isAnimationActive={false} dot={false} />
            <Line dataKey="p95" stroke="#dc2626" connectNulls={false} isAnimationActive={false} dot={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <CostChart metrics={m} per={per} />
    </div>
  );
}
