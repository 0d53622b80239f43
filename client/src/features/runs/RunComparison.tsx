/** Two runs of a workflow side by side: per node status, tokens, cost and latency, and the totals. */
import type { RunRow_RunFragment } from "../../graphql/graphql.ts";
import { formatMs, formatStepCost, formatTokenCount, formatTotalCost, isEstimated } from "../../lib/format.ts";

export function RunComparison(props: { a: RunRow_RunFragment; b: RunRow_RunFragment }) {
  const nodes = [...new Set([...props.a.steps, ...props.b.steps].map((s) => s.nodeId))].sort();
  const step = (r: RunRow_RunFragment, id: string) => r.steps.find((s) => s.nodeId === id);
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
