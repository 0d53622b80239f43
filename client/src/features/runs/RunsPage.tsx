/** Runs of one workflow, with a status filter and a side-by-side comparison of two runs. */

import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useQuery } from "urql";
import { Skeleton } from "../../components/Skeleton.tsx";
import { describeError } from "../../lib/errors.ts";
import { RunsQuery } from "./documents.ts";
import { RunComparison } from "./RunComparison.tsx";
import { RunRow } from "./RunRow.tsx";

const STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
type StatusFilter = (typeof STATUSES)[number] | "";

function Toolbar(props: {
  workflowId: string;
  name: string | null;
  status: StatusFilter;
  onStatus: (s: StatusFilter) => void;
  picked: string[];
}) {
  const navigate = useNavigate();
  return (
    <div className="toolbar">
      <h1>
        Runs of{" "}
        {props.name ? (
          <Link to="/workflows/$workflowId" params={{ workflowId: props.workflowId }}>
            {props.name}
          </Link>
        ) : (
          "…"
        )}
      </h1>
      <label htmlFor="status-filter">Status</label>
      <select id="status-filter" value={props.status} onChange={(e) => props.onStatus(e.target.value as StatusFilter)}>
        <option value="">all</option>
        {STATUSES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <span className="spacer" />
      <button
        type="button"
        disabled={props.picked.length !== 2}
        onClick={() =>
          navigate({
            to: "/workflows/$workflowId/runs",
            params: { workflowId: props.workflowId },
            search: { compare: props.picked },
          })
        }
      >
        Compare selected
      </button>
    </div>
  );
}

export default function RunsPage(props: { workflowId: string; compare: string[] }) {
  const [status, setStatus] = useState<StatusFilter>("");
  const [{ data, fetching, error }] = useQuery({
    query: RunsQuery,
    variables: { workflowId: props.workflowId, status: status || null },
  });
  const runs = data?.runs.edges.map((e) => e.node) ?? [];
  const [picked, setPicked] = useState<string[]>(props.compare);
  const compared = picked
    .map((id) => runs.find((r) => r.id === id))
    .filter((r): r is (typeof runs)[number] => Boolean(r));
  const pick = (id: string, on: boolean) => setPicked(on ? [...picked, id].slice(-2) : picked.filter((x) => x !== id));

  if (error) return <p className="error">Could not load runs: {describeError(error)}</p>;
  return (
    <div className="list-page">
      <Toolbar
        workflowId={props.workflowId}
        name={data?.workflow?.name ?? null}
        status={status}
        onStatus={setStatus}
        picked={picked}
      />
      {fetching && !data ? (
        <Skeleton label="Loading runs" lines={6} />
      ) : runs.length === 0 ? (
        <p className="muted empty card">No runs{status ? ` with status ${status}` : ""} yet.</p>
      ) : (
        <table className="table" aria-label="Runs">
          <thead>
            <tr>
              <th>
                <span className="sr-only">Compare</span>
              </th>
              <th>Run</th>
              <th>Status</th>
              <th>Started</th>
              <th>Tokens</th>
              <th>Cost</th>
              <th>Latency</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <RunRow key={r.id} run={r} picked={picked.includes(r.id)} onPick={(on) => pick(r.id, on)} />
            ))}
          </tbody>
        </table>
      )}
      {compared.length === 2 && compared[0] && compared[1] && <RunComparison a={compared[0]} b={compared[1]} />}
    </div>
  );
}
