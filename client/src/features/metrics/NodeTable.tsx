/** The per-node table: sortable by any column, each row linking to its slowest and most expensive run. */
import { callsModels } from "@flowtrace/contract/workflow";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { formatCents, formatMs } from "../../lib/format.ts";
import { type NodeRow, type NodeSortKey, percent, sortNodes } from "./chart-data.ts";

const COLUMNS: { key: NodeSortKey; label: string }[] = [
  { key: "nodeId", label: "Node" },
  { key: "runs", label: "Runs" },
  { key: "failureRate", label: "Failure rate" },
  { key: "p95LatencyMs", label: "p95 latency" },
  { key: "meanCostCents", label: "Mean cost" },
];

export function NodeTable(props: { nodes: readonly NodeRow[] }) {
  const [sort, setSort] = useState<{ key: NodeSortKey; descending: boolean }>({
    key: "p95LatencyMs",
    descending: true,
  });
  if (props.nodes.length === 0) return <p className="muted">No step ended in this range.</p>;
  const rows = sortNodes(props.nodes, sort.key, sort.descending);
  const toggle = (key: NodeSortKey) =>
    setSort((s) => ({ key, descending: s.key === key ? !s.descending : key !== "nodeId" }));
  return (
    <table className="list node-metrics" data-testid="node-metrics">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.key}
              scope="col"
              aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : "none"}
            >
              <button type="button" className="link" onClick={() => toggle(c.key)}>
                {c.label}
                {sort.key === c.key ? (sort.descending ? " ↓" : " ↑") : ""}
              </button>
            </th>
          ))}
          <th scope="col">Runs to look at</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((n) => (
          <tr key={n.nodeId} data-node={n.nodeId}>
            <td>
              <code>{n.nodeId}</code> <span className="muted">{n.nodeType}</span>
            </td>
            <td>{n.runs.toLocaleString("en-US")}</td>
            <td>
              {percent(n.failureRate)} <span className="muted">({n.failures})</span>
            </td>
            <td>{formatMs(n.p95LatencyMs)}</td>
            <td title={n.meanCostCents === null ? "no priced step" : `mean of ${n.pricedRuns} priced steps`}>
              {n.meanCostCents === null ? (callsModels(n.nodeType) ? "unknown" : "—") : formatCents(n.meanCostCents)}
            </td>
            <td className="actions">
              {n.slowestRunId && (
                <Link to="/runs/$runId" params={{ runId: n.slowestRunId }}>
                  Slowest
                </Link>
              )}
              {n.mostExpensiveRunId && (
                <Link to="/runs/$runId" params={{ runId: n.mostExpensiveRunId }}>
                  Most expensive
                </Link>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
