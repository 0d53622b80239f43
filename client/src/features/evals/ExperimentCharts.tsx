/** An experiment's charts (Recharts): score distribution per scorer, cost per item, latency with p50/p95. */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { seriesColor } from "../../lib/chart-colors.ts";
import { latencyHistogram, perItem, scoreHistogram, scorerNames } from "./chart-data.ts";
import type { ExperimentDetail } from "./types.ts";

type Items = ExperimentDetail["items"];

function ScoreChart({ items, names }: { items: Items; names: string[] }) {
  return (
    <figure className="chart" aria-label="Score distribution">
      <figcaption>Score distribution (items per score range)</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={scoreHistogram(items)}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="bin" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {names.map((n, i) => (
            <Bar key={n} dataKey={n} fill={seriesColor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function CostChart({ costs }: { costs: ReturnType<typeof perItem> }) {
  const unknownCosts = costs.filter((c) => c.usd === null).length;
  return (
    <figure className="chart" aria-label="Cost per item">
      <figcaption>Cost per item (USD){unknownCosts ? ` — ${unknownCosts} unknown, not drawn` : ""}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={costs}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="item" />
          <YAxis tickFormatter={(v: number) => `$${v.toPrecision(2)}`} width={70} />
          <Tooltip formatter={(v) => (typeof v === "number" ? `$${v.toPrecision(3)}` : "unknown")} />
          <Bar dataKey="usd" fill="#0891b2" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function LatencyChart({ items, p50, p95 }: { items: Items; p50: number | null; p95: number | null }) {
  return (
    <figure className="chart" aria-label="Latency">
      <figcaption>Latency (items per bucket, ms) with p50 and p95</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={latencyHistogram(items)}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="upTo" type="number" domain={[0, "dataMax"]} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="items" fill="#9333ea" isAnimationActive={false} />
          {p50 !== null && (
            <ReferenceLine
              x={p50}
              stroke="#16a34a"
              label={{ value: `p50 ${Math.round(p50)}`, position: "insideTopLeft", fontSize: 11 }}
            />
          )}
          {p95 !== null && (
            <ReferenceLine
              x={p95}
              stroke="#dc2626"
              label={{ value: `p95 ${Math.round(p95)}`, position: "insideBottomLeft", fontSize: 11 }}
            />
          )}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function ExperimentCharts(props: { experiment: ExperimentDetail }) {
  const items = props.experiment.items;
  const names = scorerNames(items);
  const costs = perItem(items);
  const { p50_latency_ms: p50, p95_latency_ms: p95 } = props.experiment.summary;
  if (names.length === 0 && costs.length === 0) return null;
  return (
    <div className="charts">
      <ScoreChart items={items} names={names} />
      <CostChart costs={costs} />
      <LatencyChart items={items} p50={p50} p95={p95} />
    </div>
  );
}
