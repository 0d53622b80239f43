/** One experiment, live while it runs: progress, summary, charts, results, compare with another. */

import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Skeleton } from "../../components/Skeleton.tsx";
import { StatusChip } from "../../components/StatusChip.tsx";
import { describeError } from "../../lib/errors.ts";
import { formatCents, formatMs, formatTokens } from "../../lib/format.ts";
import { CancelExperimentMutation, contract, ExperimentQuery, ExperimentsQuery } from "./documents.ts";
import { ExperimentCharts } from "./ExperimentCharts.tsx";
import { ACTIVE, experimentCost } from "./figures.ts";
import { ResultsTable } from "./ResultsTable.tsx";
import { type Experiment, type ExperimentDetail, percent } from "./types.ts";
import { usePolling } from "./usePolling.ts";

export default function ExperimentPage(props: { id: string }) {
  const [{ data: answer, error, fetching: loading }, refetch] = useQuery({
    query: ExperimentQuery,
    variables: { id: props.id },
  });
  const data = answer?.experiment ? contract<ExperimentDetail>(answer.experiment) : null;
  const reload = () => refetch({ requestPolicy: "network-only" });
  usePolling(refetch, data !== null && ACTIVE.has(data.status));
  if (loading && !answer) return <Skeleton label="Loading the experiment" lines={6} />;
  if (error && !answer) return <p className="error">Could not load the experiment: {describeError(error)}</p>;
  if (answer && !answer.experiment) return <p className="error">This experiment does not exist.</p>;
  if (!data) return null;
  return (
    <section>
      <ExperimentHeader experiment={data} onCanceled={reload} />
      {error && <p className="note">Could not refresh ({describeError(error)}); showing the last figures.</p>}
      <Progress experiment={data} />
      <Summary experiment={data} />
      <ExperimentCharts experiment={data} />
      <h2>Results</h2>
      <ResultsTable items={data.items} />
    </section>
  );
}

function ExperimentHeader(props: { experiment: ExperimentDetail; onCanceled: () => void }) {
  const e = props.experiment;
  const [, cancelExperiment] = useMutation(CancelExperimentMutation);
  // A cancel that comes too late (ConflictError: it has just ended) shows the ended experiment.
  const cancel = async () => {
    await cancelExperiment({ id: e.id });
    props.onCanceled();
  };
  return (
    <div className="row experiment-header">
      <h1>{e.name}</h1>
      <StatusChip status={e.status} />
      <span className="muted">v{e.workflow_version}</span>
      <Link to="/workflows/$workflowId/experiments" params={{ workflowId: e.workflow_id }}>
        All experiments
      </Link>
      {e.dataset_id && (
        <Link to="/datasets/$datasetId" params={{ datasetId: e.dataset_id }}>
          Dataset
        </Link>
      )}
      <span className="spacer" />
      <CompareWith experiment={e} />
      {ACTIVE.has(e.status) && (
        <button type="button" className="button" onClick={() => void cancel()}>
          Cancel
        </button>
      )}
    </div>
  );
}

function Progress(props: { experiment: ExperimentDetail }) {
  const s = props.experiment.summary;
  const running = props.experiment.items.filter(
    (i) => i.run_id && !i.scored && ACTIVE.has(props.experiment.status),
  ).length;
  return (
    <section className="progress" aria-label="Progress">
      <progress max={s.items} value={s.scored} />
      <span>
        {s.scored}/{s.items} scored · {s.passed} passed{running ? ` · ${running} running` : ""}
      </span>
    </section>
  );
}

function Summary(props: { experiment: ExperimentDetail }) {
  const s = props.experiment.summary;
  return (
    <section className="totals summary" aria-label="Summary">
      <Figure label="Pass rate" value={percent(s.pass_rate)} />
      {Object.entries(s.scores).map(([name, mean]) => (
        <Figure key={name} label={`${name} (mean)`} value={mean.toFixed(3)} />
      ))}
      <Figure label="Cost" value={experimentCost(s.total_cost_cents, s.cost_complete)} />
      <Figure label="Tokens" value={formatTokens(s.total_tokens)} />
      <Figure label="Latency p50 / p95" value={`${formatMs(s.p50_latency_ms)} / ${formatMs(s.p95_latency_ms)}`} />
      <Figure label="Cache hits" value={String(s.cache_hits)} />
      <Figure label="Failed runs" value={String(s.failed_runs)} />
      {s.judge_tokens > 0 && (
        <Figure
          label="Judge (apart)"
          value={`${s.judge_cost_complete ? "" : "≥ "}${formatCents(s.judge_cost_cents)} · ${formatTokens(s.judge_tokens)} tok`}
        />
      )}
    </section>
  );
}

function Figure(props: { label: string; value: string }) {
  return (
    <div>
      <span className="muted">{props.label}</span>
      <b>{props.value}</b>
    </div>
  );
}

function CompareWith(props: { experiment: ExperimentDetail }) {
  const navigate = useNavigate();
  const [against, setAgainst] = useState("");
  const [others] = useQuery({ query: ExperimentsQuery, variables: { workflowId: props.experiment.workflow_id } });
  const all = contract<Experiment[]>(others.data?.workflow?.experiments ?? []);
  const choices = all.filter((o) => o.id !== props.experiment.id);
  if (choices.length === 0) return null;
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void navigate({
          to: "/experiments/$experimentId/compare",
          params: { experimentId: props.experiment.id },
          search: { against },
        });
      }}
    >
      <select aria-label="Compare with" value={against} onChange={(e) => setAgainst(e.target.value)} required>
        <option value="">compare with…</option>
        {choices.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({percent(o.summary.pass_rate)})
          </option>
        ))}
      </select>
      <button type="submit" className="button" disabled={!against}>
        Compare
      </button>
    </form>
  );
}
