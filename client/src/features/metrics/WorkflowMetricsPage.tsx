/** A workflow's metrics over 24 h, 7 d or 30 d: runs, latency, cost by model, cache, retries, per node. */
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useQuery } from "urql";
import { Skeleton } from "../../components/Skeleton.tsx";
import type { MetricsRange, WorkflowMetricsQuery as Result } from "../../graphql/graphql.ts";
import { describeError } from "../../lib/errors.ts";
import { formatCents, formatMs, formatTotalCost } from "../../lib/format.ts";
import { percent } from "./chart-data.ts";
import { WorkflowMetricsQuery } from "./documents.ts";
import { MetricsCharts } from "./MetricsCharts.tsx";
import { NodeTable } from "./NodeTable.tsx";

const RANGES: { value: MetricsRange; label: string }[] = [
  { value: "H24", label: "24 h" },
  { value: "D7", label: "7 d" },
  { value: "D30", label: "30 d" },
];

export default function WorkflowMetricsPage(props: { workflowId: string }) {
  const [range, setRange] = useState<MetricsRange>("D7");
  const [{ data, fetching, error }] = useQuery({
    query: WorkflowMetricsQuery,
    variables: { id: props.workflowId, range },
  });
  const workflow = data?.workflow;
  return (
    <div className="metrics-page">
      <div className="page-title">
        <h1>{workflow ? `${workflow.name} — metrics` : "Metrics"}</h1>
        <fieldset className="tabs range-picker">
          <legend className="visually-hidden">Range</legend>
          {RANGES.map((r) => (
            <button key={r.value} type="button" aria-pressed={range === r.value} onClick={() => setRange(r.value)}>
              {r.label}
            </button>
          ))}
        </fieldset>
        <Link to="/workflows/$workflowId/runs" params={{ workflowId: props.workflowId }}>
          Runs
        </Link>
      </div>
      {error && !data ? (
        <p className="error" role="alert">
          Could not load the metrics: {describeError(error)}
        </p>
      ) : !data || fetching ? (
        <Skeleton lines={8} height={28} label="Loading metrics" />
      ) : !workflow ? (
        <p className="error">This workflow does not exist.</p>
      ) : (
        <MetricsBody metrics={workflow.metrics} />
      )}
    </div>
  );
}

type Metrics = NonNullable<Result["workflow"]>["metrics"];

function MetricsBody({ metrics: m }: { metrics: Metrics }) {
  const t = m.totals;
  if (t.runs === 0) {
    return (
      <p className="muted empty">No runs in this range (buckets are UTC {m.bucket === "hour" ? "hours" : "days"}).</p>
    );
  }
  return (
    <>
      <dl className="kpis" data-testid="metrics-totals">
        <Kpi
          label="Runs"
          value={`${t.runs.toLocaleString("en-US")}`}
          note={`${t.succeeded} succeeded · ${t.failed} failed`}
        />
        <Kpi label="Latency p50 / p95" value={`${formatMs(t.p50LatencyMs)} / ${formatMs(t.p95LatencyMs)}`} />
        <Kpi
          label="Cost"
          value={formatTotalCost(t.costCents, t.unpricedSteps === 0, t.unpricedSteps)}
          testId="metrics-cost"
        />
        <Kpi
          label="Cache hit rate"
          value={percent(t.cacheHitRate)}
          note={`${t.cacheHits} of ${t.llmSteps} LLM steps · saved ${formatCents(t.savedCents)}${t.unpricedSavings ? ` + ${t.unpricedSavings} unknown` : ""}`}
          testId="metrics-cache"
        />
        <Kpi
          label="Retry rate"
          value={percent(t.retryRate)}
          note={`${t.stepsWithRetries} of ${t.executedSteps} executed steps`}
        />
        <Kpi
          label="Fallback rate"
          value={percent(t.fallbackRate)}
          note={`${t.stepsWithFallbacks} of ${t.executedLlmSteps} LLM calls`}
        />
      </dl>
      <MetricsCharts metrics={m} />
      <h2>Per node</h2>
      <NodeTable nodes={m.nodes} />
    </>
  );
}

function Kpi(props: { label: string; value: string; note?: string; testId?: string }) {
  return (
    <div className="kpi">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.value}</dd>
      {props.note && <dd className="muted">{props.note}</dd>}
    </div>
  );
}
