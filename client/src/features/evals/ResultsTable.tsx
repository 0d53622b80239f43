/** An experiment's items: status, pass, each scorer's verdict, cost, latency; filterable to failures. */
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { StatusChip } from "../../components/StatusChip.tsx";
import { formatCents, formatMs } from "../../lib/format.ts";
import { brief, type ExperimentItem } from "./types.ts";

const failed = (i: ExperimentItem) => i.passed === false || i.status === "failed";

export function ResultsTable(props: { items: ExperimentItem[] }) {
  const [onlyFailures, setOnlyFailures] = useState(false);
  const shown = onlyFailures ? props.items.filter(failed) : props.items;
  return (
    <div>
      <label className="checkbox">
        <input type="checkbox" checked={onlyFailures} onChange={(e) => setOnlyFailures(e.target.checked)} />
        Failures only ({props.items.filter(failed).length})
      </label>
      <table className="table results" aria-label="Results">
        <thead>
          <tr>
            <th>#</th>
            <th>Inputs</th>
            <th>Expected</th>
            <th>Output</th>
            <th>Status</th>
            <th>Scores</th>
            <th>Cost</th>
            <th>Latency</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => (
            <tr key={i.item_id} className={i.passed === false ? "row-failed" : i.passed ? "row-passed" : ""}>
              <td>{i.position}</td>
              <td>{brief(i.input_vars, 60)}</td>
              <td>{brief(i.expected, 60)}</td>
              <td title={typeof i.output === "string" ? i.output : undefined}>
                {i.scored ? brief(i.output, 80) : "—"}
              </td>
              <td>
                {i.run_id ? (
                  <Link to="/runs/$runId" params={{ runId: i.run_id }}>
                    <StatusChip status={i.status} />
                  </Link>
                ) : (
                  <StatusChip status={i.status} />
                )}
              </td>
              <td>
                {i.scores.map((s) => (
                  <span key={s.scorer} className={`chip ${s.pass ? "chip-succeeded" : "chip-failed"}`} title={s.reason}>
                    {s.scorer} {s.score === 0 || s.score === 1 ? (s.pass ? "✓" : "✗") : s.score.toFixed(2)}
                  </span>
                ))}
              </td>
              <td>{i.cost_complete ? formatCents(i.cost_cents) : `≥ ${formatCents(i.cost_cents)}`}</td>
              <td>{formatMs(i.latency_ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
