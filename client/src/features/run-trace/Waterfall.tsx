/**
 * The waterfall: a time axis with one bar per step, its provider attempts (or tool calls) nested,
 * approval waits hatched, cache hits and reused steps marked. Hover or focus shows a step's
 * latency, tokens and cost; Enter or a click opens it in the step inspector. Live runs grow.
 */
import { useEffect, useMemo, useState } from "react";
import { formatCents, formatMs, formatTokens } from "../../lib/format.ts";
import type { RunView, TraceEventView } from "./model.ts";
import { type AttemptBar, axisTicks, buildWaterfall, type Span, type WaterfallRow } from "./waterfall.ts";

/** Re-renders every `ms` while `live`, so open bars grow between events. */
function useNow(live: boolean, ms = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [live, ms]);
  return now;
}

export function Waterfall(props: {
  events: TraceEventView[];
  view: RunView;
  selectedStepId: string | null;
  onSelectStep: (stepId: string) => void;
}) {
  const live = !props.view.finished;
  const now = useNow(live);
  const w = useMemo(() => buildWaterfall(props.events, props.view, now), [props.events, props.view, now]);
  const [hovered, setHovered] = useState<string | null>(null);
  if (w.rows.length === 0) return <p className="muted empty">No step has started yet.</p>;
  const span = Math.max(w.end, 1);
  const pct = (ms: number) => `${(Math.min(ms, span) / span) * 100}%`;
  const width = (s: Span) => `${(Math.max((s.end ?? w.end) - s.start, span / 400) / span) * 100}%`;
  const hoveredRow = w.rows.find((r) => r.stepId === hovered);
  return (
    <div className="waterfall" data-testid="waterfall">
      <div className="wf-axis" aria-hidden="true">
        {axisTicks(span).map((t) => (
          <span key={t} style={{ left: pct(t) }}>
            {formatMs(t)}
          </span>
        ))}
      </div>
      <ol className="wf-rows" aria-label="Steps on the run's time axis">
        {w.rows.map((row) => (
          <StepBar
            key={row.stepId}
            row={row}
            selected={row.stepId === props.selectedStepId}
            scale={{ pct, width }}
            onSelect={() => props.onSelectStep(row.stepId)}
            onHover={(on) => setHovered(on ? row.stepId : null)}
          />
        ))}
      </ol>
      {hoveredRow && <RowCard row={hoveredRow} />}
    </div>
  );
}

/** One step's bar with its waits and attempts; hovering or focusing it shows its card. */
function StepBar(props: {
  row: WaterfallRow;
  selected: boolean;
  scale: { pct: (ms: number) => string; width: (s: Span) => string };
  onSelect: () => void;
  onHover: (on: boolean) => void;
}) {
  const { row } = props;
  const { pct, width } = props.scale;
  return (
    <li>
      <button
        type="button"
        className={`wf-row state-${row.state}${props.selected ? " selected" : ""}`}
        data-node={row.nodeId}
        aria-label={rowLabel(row)}
        onClick={props.onSelect}
        onMouseEnter={() => props.onHover(true)}
        onMouseLeave={() => props.onHover(false)}
        onFocus={() => props.onHover(true)}
        onBlur={() => props.onHover(false)}
      >
        <span className="wf-label">
          {row.nodeId}
          {row.marker && (
            <span className={`wf-marker ${row.marker}`}>{row.marker === "cache" ? "cache" : "reused"}</span>
          )}
        </span>
        <span className="wf-track">
          <span className="wf-bar" style={{ left: pct(row.start), width: width(row) }} />
          {row.waits.map((s) => (
            <span key={s.start} className="wf-wait" style={{ left: pct(s.start), width: width(s) }} />
          ))}
          {row.attempts.map((a) => (
            <AttemptMark key={a.start} attempt={a} left={pct(a.start)} width={width(a)} />
          ))}
        </span>
      </button>
    </li>
  );
}

function AttemptMark(props: { attempt: AttemptBar; left: string; width: string }) {
  const a = props.attempt;
  const state = a.ok === false ? "failed" : a.ok ? "ok" : "open";
  return (
    <span
      className={`wf-attempt ${state}${a.fallback ? " fallback" : ""}`}
      style={{ left: props.left, width: props.width }}
      title={`${a.label}${a.fallback ? " (fallback)" : ""}: ${a.ok === false ? `failed — ${a.error ?? ""}` : a.ok ? "answered" : "in flight"}`}
    />
  );
}

function rowLabel(row: WaterfallRow): string {
  const parts = [row.nodeId, row.state];
  if (row.latencyMs !== undefined) parts.push(formatMs(row.latencyMs));
  if (row.attempts.length > 1) parts.push(`${row.attempts.length} attempts`);
  if (row.marker) parts.push(row.marker === "cache" ? "cache hit" : "reused");
  return parts.join(", ");
}

function RowCard({ row }: { row: WaterfallRow }) {
  const cost =
    row.costCents === undefined ? "—" : row.costCents === null ? "unknown price" : formatCents(row.costCents);
  return (
    <div className="wf-card" role="status" data-testid="waterfall-card">
      <strong>{row.nodeId}</strong> · {row.state}
      <dl>
        <dt>Latency</dt>
        <dd>{formatMs(row.latencyMs ?? (row.end === null ? undefined : row.end - row.start))}</dd>
        <dt>Tokens</dt>
        <dd>{formatTokens(row.tokens)}</dd>
        <dt>Cost</dt>
        <dd>{cost}</dd>
        {row.attempts.length > 0 && (
          <>
            <dt>Attempts</dt>
            <dd>
              {row.attempts
                .map((a) => `${a.label}${a.fallback ? " (fallback)" : ""} ${a.ok === false ? "✗" : a.ok ? "✓" : "…"}`)
                .join(" → ")}
            </dd>
          </>
        )}
        {row.waits.length > 0 && (
          <>
            <dt>Waited</dt>
            <dd>{row.waits.map((s) => (s.end === null ? "waiting…" : formatMs(s.end - s.start))).join(", ")}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
