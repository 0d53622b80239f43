/** Runs of one workflow, with a status filter and a side-by-side comparison of two runs. */
import { useState } from "react";
import { useQuery } from "urql";
import { RunsQuery } from "../app/documents.ts";
import { StatusChip } from "../components/StatusChip.tsx";
import {
  ESTIMATED_TITLE,
  formatMs,
  formatStepCost,
  formatTokenCount,
  formatTotalCost,
  isEstimated,
} from "../lib/format.ts";
import { Link, navigate } from "../lib/router.tsx";

const STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;

export default function RunsPage(props: { workflowId: string; compare: string[] }) {
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "">("");
  const [{ data, fetching, error }] = useQuery({
    query: RunsQuery,
    variables: { workflowId: props.workflowId, status: status || null },
  });
  const runs = data?.runs.edges.map((e) => e.node) ?? [];
  const [picked, setPicked] = useState<string[]>(props.compare);
  const compared = picked
    .map((id) => runs.find((r) => r.id === id))
    .filter((r): r is (typeof runs)[number] => Boolean(r));

  if (error) return <p className="error">Could not load runs: {error.message}</p>;
  return (
    <div className="list-page">
      <div className="toolbar">
        <h1>
          Runs of {data?.workflow ? <Link to={`/workflows/${props.workflowId}`}>{data.workflow.name}</Link> : "…"}
        </h1>
        <label htmlFor="status-filter">Status</label>
        <select id="status-filter" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">all</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <span className="spacer" />
        <button
          type="button"
          disabled={picked.length !== 2}
          onClick={() => navigate(`/workflows/${props.workflowId}/runs?compare=${picked[0]}&compare=${picked[1]}`)}
        >
          Compare selected
        </button>
      </div>
      {fetching && !data ? (
        <p className="muted">Loading runs…</p>
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
              <tr key={r.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare run ${r.id.slice(0, 8)}`}
                    checked={picked.includes(r.id)}
                    onChange={(e) =>
                      setPicked(e.target.checked ? [...picked, r.id].slice(-2) : picked.filter((x) => x !== r.id))
                    }
                  />
                </td>
                <td>
                  <Link to={`/runs/${r.id}`}>
                    <code>{r.id.slice(0, 8)}</code>
                  </Link>
                </td>
                <td>
                  <StatusChip status={r.status} />
                </td>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td title={isEstimated(r.steps) ? ESTIMATED_TITLE : undefined}>
                  {formatTokenCount(r.totalTokens, isEstimated(r.steps))}
                </td>
                <td data-testid="run-cost">{formatTotalCost(r.totalCostCents, r.costComplete, r.unpricedSteps)}</td>
                <td>{formatMs(r.totalLatencyMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {compared.length === 2 && (
        <Comparison a={compared[0] as (typeof runs)[number]} b={compared[1] as (typeof runs)[number]} />
      )}
    </div>
  );
}

type RunRow = {
  id: string;
  totalTokens: number;
  totalCostCents: string;
  costComplete: boolean;
  unpricedSteps: number;
  totalLatencyMs: number;
  steps: {
    nodeId: string;
    nodeType: string;
    status: string;
    latencyMs?: number | null;
    tokensInput: number;
    tokensOutput: number;
    usageSource: string;
    costCents?: unknown;
  }[];
};

function Comparison(props: { a: RunRow; b: RunRow }) {
  const nodes = [...new Set([...props.a.steps, ...props.b.steps].map((s) => s.nodeId))].sort();
  const step = (r: RunRow, id: string) => r.steps.find((s) => s.nodeId === id);
  const diff = (x: number, y: number) => (y - x === 0 ? "=" : `${y - x > 0 ? "+" : ""}${y - x}`);
  return (
    <section className="card" aria-label="Run comparison">
      <h2>
        Comparing <code>{props.a.id.slice(0, 8)}</code> and <code>{props.b.id.slice(0, 8)}</code>
      </h2>
      <table className="table">
        <thead>
          <tr>
            <th>Node</th>
            <th>Status</th>
            <th>Tokens</th>
            <th>Cost</th>
            <th>Latency</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((id) => {
            const a = step(props.a, id);
            const b = step(props.b, id);
            const ta = (a?.tokensInput ?? 0) + (a?.tokensOutput ?? 0);
            const tb = (b?.tokensInput ?? 0) + (b?.tokensOutput ?? 0);
            return (
              <tr key={id}>
                <td>
                  <code>{id}</code>
                </td>
                <td>
                  {a?.status ?? "—"} → {b?.status ?? "—"}
                </td>
                <td>
                  {formatTokenCount(ta, a?.usageSource === "estimated")} →{" "}
                  {formatTokenCount(tb, b?.usageSource === "estimated")} ({diff(ta, tb)})
                </td>
                <td>
                  {formatStepCost(a)} → {formatStepCost(b)}
                </td>
                <td>
                  {formatMs(a?.latencyMs)} → {formatMs(b?.latencyMs)}
                </td>
              </tr>
            );
          })}
          <tr className="totals-row" data-testid="compare-totals">
            <td>Total</td>
            <td />
            <td>
              {formatTokenCount(props.a.totalTokens, isEstimated(props.a.steps))} →{" "}
              {formatTokenCount(props.b.totalTokens, isEstimated(props.b.steps))}
            </td>
            <td>
              {formatTotalCost(props.a.totalCostCents, props.a.costComplete, props.a.unpricedSteps)} →{" "}
              {formatTotalCost(props.b.totalCostCents, props.b.costComplete, props.b.unpricedSteps)}
            </td>
            <td>
              {formatMs(props.a.totalLatencyMs)} → {formatMs(props.b.totalLatencyMs)}
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
