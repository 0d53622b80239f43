/** A workflow's experiments, newest first, and the form to start one. */

import { Link } from "@tanstack/react-router";
import { useQuery } from "urql";
import { Skeleton } from "../../components/Skeleton.tsx";
import { StatusChip } from "../../components/StatusChip.tsx";
import { describeError } from "../../lib/errors.ts";
import { formatMs } from "../../lib/format.ts";
import { contract, ExperimentsQuery } from "./documents.ts";
import { ACTIVE, experimentCost } from "./figures.ts";
import { NewExperiment } from "./NewExperiment.tsx";
import { type Experiment, percent } from "./types.ts";
import { usePolling } from "./usePolling.ts";

export default function ExperimentsPage(props: { workflowId: string }) {
  const [{ data: answer, error, fetching: loading }, refetch] = useQuery({
    query: ExperimentsQuery,
    variables: { workflowId: props.workflowId },
  });
  const items = answer?.workflow ? contract<Experiment[]>(answer.workflow.experiments) : null;
  const data = items ? { items } : null;
  usePolling(refetch, items?.some((e) => ACTIVE.has(e.status)) ?? false, 2000);
  if (answer && !answer.workflow) return <p className="error">This workflow does not exist (or was deleted).</p>;
  return (
    <section>
      <div className="row">
        <h1>Experiments</h1>
        <Link to="/workflows/$workflowId" params={{ workflowId: props.workflowId }}>
          Open the workflow
        </Link>
        <Link to="/datasets">Datasets</Link>
      </div>
      <NewExperiment workflowId={props.workflowId} />
      {loading && !data && <Skeleton label="Loading experiments" lines={6} />}
      {error && !data && <p className="error">Could not load the experiments: {describeError(error)}</p>}
      {data && data.items.length === 0 && <p className="empty">No experiment yet for this workflow.</p>}
      {data && data.items.length > 0 && <ExperimentTable experiments={data.items} />}
    </section>
  );
}

function ExperimentTable(props: { experiments: Experiment[] }) {
  return (
    <table className="table" aria-label="Experiments">
      <thead>
        <tr>
          <th>Name</th>
          <th>Version</th>
          <th>Status</th>
          <th>Pass rate</th>
          <th>Scored</th>
          <th>Cost</th>
          <th>p50 / p95</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {props.experiments.map((e) => (
          <tr key={e.id}>
            <td>
              <Link to="/experiments/$experimentId" params={{ experimentId: e.id }}>
                {e.name}
              </Link>
            </td>
            <td>v{e.workflow_version}</td>
            <td>
              <StatusChip status={e.status} />
            </td>
            <td>{percent(e.summary.pass_rate)}</td>
            <td>
              {e.summary.scored}/{e.summary.items}
            </td>
            <td>{experimentCost(e.summary.total_cost_cents, e.summary.cost_complete)}</td>
            <td>
              {formatMs(e.summary.p50_latency_ms)} / {formatMs(e.summary.p95_latency_ms)}
            </td>
            <td>{new Date(e.created_at).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
