/** The run's cost split by provider/model: one small stacked bar, each part titled with its figures. */
import { seriesColor } from "../../lib/chart-colors.ts";
import { formatCents } from "../../lib/format.ts";
import type { TraceEventView } from "./model.ts";
import { costByModel } from "./run-figures.ts";

export function CostSplit(props: { events: TraceEventView[] }) {
  const parts = costByModel(props.events);
  if (parts.length === 0) return null;
  const total = parts.reduce((n, p) => n + Number(p.cents), 0);
  const describe = (p: (typeof parts)[number]) =>
    `${p.model}: ${formatCents(p.cents)}${p.unpriced ? ` + ${p.unpriced} unpriced call${p.unpriced === 1 ? "" : "s"} (unknown)` : ""} · ${p.calls} call${p.calls === 1 ? "" : "s"}${total > 0 ? ` · ${Math.round((Number(p.cents) / total) * 100)}%` : ""}`;
  return (
    <figure className="cost-split" data-testid="cost-split">
      <figcaption className="muted">Cost by model</figcaption>
      {total > 0 && (
        <div className="cost-bar" role="img" aria-label={parts.map(describe).join("; ")}>
          {parts.map((p, i) => (
            <span
              key={p.model}
              title={describe(p)}
              style={{ flexGrow: Number(p.cents) / total, background: seriesColor(i) }}
            />
          ))}
        </div>
      )}
      <ul className="cost-legend">
        {parts.map((p, i) => (
          <li key={p.model} data-model={p.model}>
            <span className="swatch" style={{ background: seriesColor(i) }} aria-hidden="true" />
            {describe(p)}
          </li>
        ))}
      </ul>
    </figure>
  );
}
