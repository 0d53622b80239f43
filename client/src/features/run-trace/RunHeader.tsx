/** The run view's summary: status, elapsed time, tokens, cost, cache and retries, cancel, connection. */
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { useMutation } from "urql";
import { StatusChip } from "../../components/StatusChip.tsx";
import type { RunHeader_RunFragment } from "../../graphql/graphql.ts";
import { graphql } from "../../graphql/index.ts";
import {
  ESTIMATED_TITLE,
  formatCents,
  formatMs,
  formatTokenCount,
  formatTotalCost,
  isEstimated,
  sumCents,
  totalsSoFar,
} from "../../lib/format.ts";
import { AddToDataset } from "../evals/AddToDataset.tsx";
import { CancelRunMutation } from "./documents.ts";
import type { RunView } from "./model.ts";

/** The fields the header reads; RunQuery spreads it. */
export const RunHeaderFragment = graphql(`
  fragment RunHeader_run on Run {
    id
    status
    workflowId
    workflow {
      id
      name
    }
    startedAt
    finishedAt
    rerunFromNode
    savedCostCents
    parent {
      id
    }
    parentStepId
    children {
      id
      status
      parentStepId
      totalCostCents
      costComplete
      workflow {
        id
        name
      }
    }
    totalTokens
    totalCostCents
    costComplete
    unpricedSteps
    totalLatencyMs
    steps {
      id
      nodeType
      status
      tokensInput
      tokensOutput
      usageSource
      costCents
    }
  }
`);

const ENDED = ["succeeded", "failed", "canceled"];

function useNow(active: boolean) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** The stream's state, as the header shows it. */
export interface StreamState {
  finished: boolean;
  connected: boolean;
  error: string | null;
}

export function RunHeader(props: {
  run: RunHeader_RunFragment;
  view: RunView;
  stream: StreamState;
  onNotice: (text: string) => void;
}) {
  const { run, view, stream } = props;
  const running = !ENDED.includes(run.status) && !stream.finished;
  const now = useNow(running);
  const startedAt = run.startedAt ? Date.parse(run.startedAt) : null;
  const elapsed = startedAt ? (run.finishedAt ? Date.parse(run.finishedAt) : now) - startedAt : 0;
  const status = stream.finished && run.status === "running" ? "finishing" : run.status;
  return (
    <section className="run-header" aria-label="Run summary">
      <div>
        <Link to="/workflows/$workflowId/runs" params={{ workflowId: run.workflowId }}>
          {run.workflow.name}
        </Link>{" "}
        / run <code>{run.id.slice(0, 8)}</code>
      </div>
      <StatusChip status={status} />
      <Lineage run={run} />
      {view.simulated && <span className="chip chip-simulated">simulated providers</span>}
      <dl className="totals">
        <dt>Elapsed</dt>
        <dd data-testid="elapsed">{formatMs(elapsed)}</dd>
        <RunTotals run={run} />
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
      {running && <CancelButton runId={run.id} onNotice={props.onNotice} />}
      {ENDED.includes(run.status) && <AddToDataset runId={run.id} onNotice={props.onNotice} />}
      <span className={`conn ${stream.connected ? "on" : "off"}`} aria-live="polite">
        {stream.finished
          ? "complete"
          : stream.connected
            ? "live"
            : stream.error
              ? `reconnecting (${stream.error})`
              : "connecting…"}
      </span>
    </section>
  );
}

/** A sub-workflow's run: the run that called it; and the sub-workflow runs this one started. */
function Calls(props: { run: RunHeader_RunFragment }) {
  const { run } = props;
  const called = run.children.filter((c) => c.parentStepId);
  return (
    <>
      {run.parent && run.parentStepId && (
        <span>
          sub-workflow of{" "}
          <Link to="/runs/$runId" params={{ runId: run.parent.id }} data-testid="caller-run">
            <code>{run.parent.id.slice(0, 8)}</code>
          </Link>
        </span>
      )}
      {called.length > 0 && (
        <span>
          {" "}
          sub-workflow runs:{" "}
          {called.map((c) => (
            <Link key={c.id} to="/runs/$runId" params={{ runId: c.id }} className="rerun-link" data-testid="child-run">
              {c.workflow?.name ?? "workflow"} <code>{c.id.slice(0, 8)}</code> ({c.status})
            </Link>
          ))}
        </span>
      )}
    </>
  );
}

/** Where the run comes from (a re-run of …, with a link to compare), its own re-runs, and its sub-workflow calls. */
function Lineage(props: { run: RunHeader_RunFragment }) {
  const { run } = props;
  const reruns = run.children.filter((c) => !c.parentStepId);
  if (!run.parent && run.children.length === 0) return null;
  return (
    <div className="lineage" data-testid="lineage">
      <Calls run={run} />
      {run.parent && !run.parentStepId && (
        <>
          re-run of{" "}
          <Link to="/runs/$runId" params={{ runId: run.parent.id }}>
            <code>{run.parent.id.slice(0, 8)}</code>
          </Link>
          {run.rerunFromNode ? (
            <>
              {" "}
              from <code>{run.rerunFromNode}</code>
            </>
          ) : (
            " (replay)"
          )}
          {Number(run.savedCostCents) > 0 && <> · reuse saved {formatCents(run.savedCostCents)}</>}{" "}
          <Link to="/runs/$runId/diff" params={{ runId: run.id }} search={{ against: run.parent.id }}>
            Compare with parent
          </Link>
        </>
      )}
      {reruns.length > 0 && (
        <span>
          {" "}
          re-runs:{" "}
          {reruns.map((c) => (
            <Link key={c.id} to="/runs/$runId" params={{ runId: c.id }} className="rerun-link">
              <code>{c.id.slice(0, 8)}</code>
            </Link>
          ))}
        </span>
      )}
    </div>
  );
}

/** Tokens, cost and latency: the server's totals once the run ended, the finished steps' sum until then. */
function RunTotals(props: { run: RunHeader_RunFragment }) {
  const { run } = props;
  const ended = ENDED.includes(run.status);
  const totals = ended ? run : totalsSoFar(run.steps);
  const soFar = ended ? "" : " so far";
  const estimated = isEstimated(run.steps);
  const costTitle = totals.costComplete
    ? `${totals.totalCostCents} cents`
    : `${totals.totalCostCents} cents from priced steps; ${totals.unpricedSteps} step(s) have no price, so the total is at least this`;
  return (
    <>
      <dt>Tokens</dt>
      <dd data-testid="total-tokens" title={estimated ? ESTIMATED_TITLE : undefined}>
        {formatTokenCount(totals.totalTokens, estimated)}
        {soFar}
      </dd>
      <dt>Cost</dt>
      <dd data-testid="total-cost" title={costTitle}>
        {formatTotalCost(totals.totalCostCents, totals.costComplete, totals.unpricedSteps)}
        {estimated ? " (estimated)" : ""}
        {soFar}
      </dd>
      <SubworkflowCost run={run} />
      <dt>Latency</dt>
      <dd>{formatMs(run.totalLatencyMs)}</dd>
    </>
  );
}

/** The part of the cost spent in sub-workflow runs (already in the total), shown apart. */
function SubworkflowCost(props: { run: RunHeader_RunFragment }) {
  const called = props.run.children.filter((c) => c.parentStepId);
  if (called.length === 0) return null;
  const complete = called.every((c) => c.costComplete);
  const cents = sumCents(called.map((c) => String(c.totalCostCents)));
  return (
    <>
      <dt>In sub-workflows</dt>
      <dd data-testid="subworkflow-cost" title="Part of the cost above: what the sub-workflow runs cost">
        {complete ? formatCents(cents) : `≥ ${formatCents(cents)} (a sub-workflow has unpriced steps)`}
      </dd>
    </>
  );
}

function CancelButton(props: { runId: string; onNotice: (text: string) => void }) {
  const [, cancel] = useMutation(CancelRunMutation);
  return (
    <button
      type="button"
      className="danger"
      onClick={async () => {
        const r = await cancel({ runId: props.runId });
        props.onNotice(
          r.data?.cancelRun.__typename === "ConflictError" ? "The run had already finished." : "Cancel requested…",
        );
      }}
    >
      Cancel run
    </button>
  );
}
