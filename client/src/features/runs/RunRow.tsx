/** One run in a workflow's runs list, with its compare checkbox. */
import { Link } from "@tanstack/react-router";
import { StatusChip } from "../../components/StatusChip.tsx";
import type { RunRow_RunFragment } from "../../graphql/graphql.ts";
import { graphql } from "../../graphql/index.ts";
import { ESTIMATED_TITLE, formatMs, formatTokenCount, formatTotalCost, isEstimated } from "../../lib/format.ts";

/** The fields a row and the comparison read; RunsQuery spreads it. */
export const RunRowFragment = graphql(`
  fragment RunRow_run on Run {
    id
    status
    createdAt
    totalTokens
    totalCostCents
    costComplete
    unpricedSteps
    totalLatencyMs
    errorSummary
    steps {
      nodeId
      nodeType
      status
      latencyMs
      tokensInput
      tokensOutput
      usageSource
      costCents
    }
  }
`);

export function RunRow(props: { run: RunRow_RunFragment; picked: boolean; onPick: (picked: boolean) => void }) {
  const r = props.run;
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          aria-label={`Compare run ${r.id.slice(0, 8)}`}
          checked={props.picked}
          onChange={(e) => props.onPick(e.target.checked)}
        />
      </td>
      <td>
        <Link to="/runs/$runId" params={{ runId: r.id }}>
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
  );
}
