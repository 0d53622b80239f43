/** Live run view: summary header, graph with node states, timeline, step inspector. */
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery } from "urql";
import { CancelRunMutation, RunQuery } from "../app/documents.ts";
import { StatusChip } from "../components/StatusChip.tsx";
import { buildRunView } from "../features/run-trace/model.ts";
import { StepDetail } from "../features/run-trace/StepDetail.tsx";
import { Timeline } from "../features/run-trace/Timeline.tsx";
import { useRunEvents } from "../features/run-trace/useRunEvents.ts";
import type { WorkflowDoc } from "../features/workflow-editor/graph.ts";
import {
  ESTIMATED_TITLE,
  formatCents,
  formatMs,
  formatTokenCount,
  formatTotalCost,
  isEstimated,
  totalsSoFar,
} from "../lib/format.ts";
import { Link } from "../lib/router.tsx";

const RunGraph = lazy(() => import("../features/run-trace/RunGraph.tsx"));

function useNow(active: boolean) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export default function RunPage(props: { id: string }) {
  const { events, connected, error: streamError } = useRunEvents(props.id);
  const finished = events.some((e) => e.kind === "run.finished");
  const [{ data, fetching, error }, refetch] = useQuery({ query: RunQuery, variables: { id: props.id } });
  const [, cancel] = useMutation(CancelRunMutation);
  const [selectedNode, setSelectedNode] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Refresh totals when a step or the run finishes.
  const milestones = events.filter(
    (e) => e.kind === "step.finished" || e.kind === "step.failed" || e.kind === "run.finished",
  ).length;
  useEffect(() => {
    if (milestones > 0) refetch({ requestPolicy: "network-only" });
  }, [milestones, refetch]);

  // The last run the server sent: a refresh that fails (urql then has an error and no data) must
  // not blank the view of a run already on screen.
  const lastRun = useRef<NonNullable<typeof data>["run"]>(null);
  if (data?.run) lastRun.current = data.run;
  const run = data?.run ?? lastRun.current;
  const view = useMemo(() => buildRunView(run?.steps ?? [], events), [run?.steps, events]);
  const running = run ? !["succeeded", "failed", "canceled"].includes(run.status) && !finished : false;
  const now = useNow(running);

  if (fetching && !run) return <p className="muted">Loading run…</p>;
  // A refresh that fails (the network dropped mid-run) keeps the view whole: the trace goes on from
  // the stream, and the figures from the last refresh stay, marked as such.
  if (error && !run) return <p className="error">Could not load the run: {error.message}</p>;
  if (!run) return <p className="error">This run does not exist.</p>;

  const ended = ["succeeded", "failed", "canceled"].includes(run.status);
  const totals = ended ? run : totalsSoFar(run.steps);
  const soFar = ended ? "" : " so far";
  const startedAt = run.startedAt ? Date.parse(run.startedAt) : null;
  const elapsed = startedAt ? (run.finishedAt ? Date.parse(run.finishedAt) : now) - startedAt : 0;
  const status = finished && run.status === "running" ? "finishing" : run.status;
  const selectedStep = selectedNode ? (view.steps.get(selectedNode) ?? null) : null;

  return (
    <div className="run-page">
      <section className="run-header" aria-label="Run summary">
        <div>
          <Link to={`/workflows/${run.workflowId}/runs`}>{run.workflow.name}</Link> / run{" "}
          <code>{run.id.slice(0, 8)}</code>
        </div>
        <StatusChip status={status} />
        {view.simulated && <span className="chip chip-simulated">simulated providers</span>}
        <dl className="totals">
          <dt>Elapsed</dt>
          <dd data-testid="elapsed">{formatMs(elapsed)}</dd>
          <dt>Tokens</dt>
          <dd data-testid="total-tokens" title={isEstimated(run.steps) ? ESTIMATED_TITLE : undefined}>
            {formatTokenCount(totals.totalTokens, isEstimated(run.steps))}
            {soFar}
          </dd>
          <dt>Cost</dt>
          <dd
            data-testid="total-cost"
            title={
              totals.costComplete
                ? `${totals.totalCostCents} cents`
                : `${totals.totalCostCents} cents from priced steps; ${totals.unpricedSteps} step(s) have no price, so the total is at least this`
            }
          >
            {formatTotalCost(totals.totalCostCents, totals.costComplete, totals.unpricedSteps)}
            {isEstimated(run.steps) ? " (estimated)" : ""}
            {soFar}
          </dd>
          <dt>Latency</dt>
          <dd>{formatMs(run.totalLatencyMs)}</dd>
          <dt>Cache</dt>
          <dd data-testid="cache-savings">
            {view.cacheHits} hit{view.cacheHits === 1 ? "" : "s"}
            {view.cacheHits ? `, saved ${formatCents(String(view.cacheSavedCents))}` : ""}
          </dd>
          <dt>Retries / fallbacks</dt>
          <dd data-testid="retries">
            {view.retries} / {view.fallbacks}
          </dd>
        </dl>
        {running && (
          <button
            type="button"
            className="danger"
            onClick={async () => {
              const r = await cancel({ runId: run.id });
              setNotice(
                r.data?.cancelRun.__typename === "ConflictError"
                  ? "The run had already finished."
                  : "Cancel requested…",
              );
            }}
          >
            Cancel run
          </button>
        )}
        <span className={`conn ${connected ? "on" : "off"}`} aria-live="polite">
          {finished ? "complete" : connected ? "live" : streamError ? `reconnecting (${streamError})` : "connecting…"}
        </span>
      </section>
      {run.errorSummary && (
        <p className="error" role="alert" data-testid="error-summary">
          {run.errorSummary}
        </p>
      )}
      {notice && <p className="notice">{notice}</p>}
      {error && (
        <p className="notice" role="status" data-testid="refresh-failed">
          Could not refresh the run's figures ({error.message}); showing the last ones until the next refresh.
        </p>
      )}
      <div className="run-body">
        <Suspense fallback={<div className="run-graph muted">Loading graph…</div>}>
          <RunGraph doc={run.workflow.graphJson as WorkflowDoc} view={view} onSelectNode={setSelectedNode} />
        </Suspense>
        <Timeline
          events={events}
          nodeOf={view.nodeOf}
          selectedStepId={selectedStep?.stepId ?? null}
          onSelectStep={(stepId) => setSelectedNode(view.nodeOf.get(stepId) ?? null)}
        />
        <StepDetail step={selectedStep} onClose={() => setSelectedNode(null)} />
      </div>
    </div>
  );
}
