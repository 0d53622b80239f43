/** Two runs of a workflow side by side: per node status, tokens, cost and latency, and the totals. */
import type { RunRow_RunFragment } from "../../graphql/graphql.ts";
import { formatMs, formatStepCost, formatTokenCount, formatTotalCost, isEstimated } from "../../lib/format.ts";

type Step = RunRow_RunFragment["steps"][number];

const stepOf = (r: RunRow_RunFragment, id: string) => r.steps.find((s) => s.nodeId === id);
const tokensOf = (s: Step | undefined) => (s?.tokensInput ?? 0) + (s?.tokensOutput ?? 0);
const change = (x: number, y: number) => (y - x === 0 ? "=" : `${y - x > 0 ? "+" : ""}${y - x}`);

function NodeRow(props: { id: string; a: Step | undefined; b: Step | undefined }) {
  const { a, b } = props;
  const ta = tokensOf(a);
  const tb = tokensOf(b);
  return (
    <tr>
      <td>
        <code>{props.id}</code>
      </td>
      <td>
        {a?.status ?? "—"} → {b?.status ?? "—"}
      </td>
      <td>
        {formatTokenCount(ta, a?.usageSource === "estimated")} → {formatTokenCount(tb, b?.usageSource === "estimated")}{" "}
        ({change(ta, tb)})
      </td>
      <td>
        {formatStepCost(a)} → {formatStepCost(b)}
      </td>
      <td>
        {formatMs(a?.latencyMs)} → {formatMs(b?.latencyMs)}
      </td>
    </tr>
  );
}

function TotalsRow({ a, b }: { a: RunRow_RunFragment; b: RunRow_RunFragment }) {
  return (
    <tr className="totals-row" data-testid="compare-totals">
      <td>Total</td>
      <td />
      <td>
        {formatTokenCount(a.totalTokens, isEstimated(a.steps))} →{" "}
        {formatTokenCount(b.totalTokens, isEstimated(b.steps))}
      </td>
      <td>
        {formatTotalCost(a.totalCostCents, a.costComplete, a.unpricedSteps)} →{" "}
        {formatTotalCost(b.totalCostCents, b.costComplete, b.unpricedSteps)}
      </td>
      <td>
        {formatMs(a.totalLatencyMs)} → {formatMs(b.totalLatencyMs)}
      </td>
    </tr>
  );
}

export function RunComparison(props: { a: RunRow_RunFragment; b: RunRow_RunFragment }) {
  const nodes = [...new Set([...props.a.steps, ...props.b.steps].map((s) => s.nodeId))].sort();
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
          {nodes.map((id) => (
            <NodeRow key={id} id={id} a={stepOf(props.a, id)} b={stepOf(props.b, id)} />
          ))}
          <TotalsRow a={props.a} b={props.b} />
        </tbody>
      </table>
    </section>
  );
}
