/** Live run view: summary header, graph with node states, timeline, step inspector. */
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { useQuery } from "urql";
import { RunSkeleton, Skeleton } from "../../components/Skeleton.tsx";
import { describeError } from "../../lib/errors.ts";
import { ApprovalBanner } from "../approvals/ApprovalBanner.tsx";
import type { WorkflowDoc } from "../workflow-editor/graph.ts";
import { CostSplit } from "./CostSplit.tsx";
import { RunQuery } from "./documents.ts";
import { buildRunView, type RunView, type TraceEventView } from "./model.ts";
import { RunHeader } from "./RunHeader.tsx";
import { StepDetail } from "./StepDetail.tsx";
import { Timeline } from "./Timeline.tsx";
import { useRunEvents } from "./useRunEvents.ts";
import { Waterfall } from "./Waterfall.tsx";

const RunGraph = lazy(() => import("./RunGraph.tsx"));

/**
 * The run as the server last sent it, refreshed when a step or the run finishes. A refresh that
 * fails (urql then has an error and no data) must not blank the view of a run already on screen.
 */
function useRun(id: string, milestones: number) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: RunQuery, variables: { id } });
  useEffect(() => {
    if (milestones > 0) refetch({ requestPolicy: "network-only" });
  }, [milestones, refetch]);
  const lastRun = useRef<NonNullable<typeof data>["run"]>(null);
  if (data?.run) lastRun.current = data.run;
  return { run: data?.run ?? lastRun.current, fetching, error };
}

/** The document the run ran (a re-run's overrides included); the workflow's own for older runs. */
function ranDocument(run: { graphSnapshot?: unknown; workflow: { graphJson: unknown } }): WorkflowDoc {
  return (run.graphSnapshot ?? run.workflow.graphJson) as WorkflowDoc;
}

/** Events after which the run's figures are read again. */
const MILESTONES = new Set(["step.finished", "step.failed", "run.finished", "approval.requested", "approval.resolved"]);

/** The run's error, a pruned trace, a notice from the header, and a refresh that failed. */
function RunNotices(props: {
  run: { errorSummary?: string | null; tracePrunedAt?: string | null };
  notice: string | null;
  refreshError: unknown;
}) {
  const { run } = props;
  return (
    <>
      {run.errorSummary && (
        <p className="error" role="alert" data-testid="error-summary">
          {run.errorSummary}
        </p>
      )}
      {run.tracePrunedAt && (
        <p className="notice" role="status" data-testid="trace-pruned">
          This run's trace events were deleted by trace retention on {run.tracePrunedAt.slice(0, 10)}; its steps and
          totals are kept.
        </p>
      )}
      {props.notice && <p className="notice">{props.notice}</p>}
      {Boolean(props.refreshError) && (
        <p className="notice" role="status" data-testid="refresh-failed">
          Could not refresh the run's figures ({describeError(props.refreshError)}); showing the last ones until the
          next refresh.
        </p>
      )}
    </>
  );
}

export default function RunPage(props: { id: string }) {
  const { events, connected, error: streamError } = useRunEvents(props.id);
  const finished = events.some((e) => e.kind === "run.finished");
  const milestones = events.filter((e) => MILESTONES.has(e.kind)).length;
  const { run, fetching, error } = useRun(props.id, milestones);
  const [selectedNode, setSelectedNode] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const view = useMemo(() => buildRunView(run?.steps ?? [], events), [run?.steps, events]);

  if (fetching && !run) return <RunSkeleton />;
  // A refresh that fails (the network dropped mid-run) keeps the view whole: the trace goes on from
  // the stream, and the figures from the last refresh stay, marked as such.
  if (error && !run) return <p className="error">Could not load the run: {describeError(error)}</p>;
  if (!run) return <p className="error">This run does not exist.</p>;
  const selectedStep = selectedNode ? (view.steps.get(selectedNode) ?? null) : null;
  const waitingAt = [...view.steps.values()].find((s) => s.state === "waiting");

  return (
    <div className="run-page">
      <RunHeader run={run} view={view} stream={{ finished, connected, error: streamError }} onNotice={setNotice} />
      <CostSplit events={events} />
      <RunNotices run={run} notice={notice} refreshError={error} />
      {waitingAt && !finished && (
        <ApprovalBanner key={waitingAt.approval?.approvalId ?? waitingAt.nodeId} runId={run.id} step={waitingAt} />
      )}
      <div className="run-body">
        <Suspense fallback={<Skeleton label="Loading graph" lines={6} height={40} />}>
          <RunGraph doc={ranDocument(run)} view={view} onSelectNode={setSelectedNode} />
        </Suspense>
        <TraceViews
          events={events}
          view={view}
          selectedStepId={selectedStep?.stepId ?? null}
          onSelectStep={(stepId) => setSelectedNode(view.nodeOf.get(stepId) ?? null)}
        />
        <StepDetail
          step={selectedStep}
          onClose={() => setSelectedNode(null)}
          rerun={{
            runId: run.id,
            node: ranDocument(run).nodes.find((n) => n.id === selectedNode),
            finished: ["succeeded", "failed", "canceled"].includes(run.status),
          }}
        />
      </div>
    </div>
  );
}

type TraceMode = "waterfall" | "timeline";
/** The view last chosen in this browser (a `#seq=` link always opens the timeline). */
const TRACE_MODE_KEY = "flowtrace.traceView";
const initialTraceMode = (): TraceMode =>
  window.location.hash.startsWith("#seq=") || localStorage.getItem(TRACE_MODE_KEY) === "timeline"
    ? "timeline"
    : "waterfall";

/** Waterfall or Timeline over the same events and the same selected step. */
function TraceViews(props: {
  events: TraceEventView[];
  view: RunView;
  selectedStepId: string | null;
  onSelectStep: (stepId: string) => void;
}) {
  const [mode, setModeState] = useState<TraceMode>(initialTraceMode);
  const setMode = (m: TraceMode) => {
    setModeState(m);
    localStorage.setItem(TRACE_MODE_KEY, m);
  };
  const tab = (m: TraceMode, label: string) => (
    <button type="button" role="tab" aria-selected={mode === m} onClick={() => setMode(m)}>
      {label}
    </button>
  );
  return (
    <div className="trace-views">
      <div role="tablist" aria-label="Trace view" className="tabs trace-tabs">
        {tab("waterfall", "Waterfall")}
        {tab("timeline", "Timeline")}
      </div>
      {mode === "waterfall" ? (
        <section className="timeline" aria-label="Waterfall">
          <Waterfall {...props} />
        </section>
      ) : (
        <Timeline
          events={props.events}
          nodeOf={props.view.nodeOf}
          selectedStepId={props.selectedStepId}
          onSelectStep={props.onSelectStep}
        />
      )}
    </div>
  );
}
