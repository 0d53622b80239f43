/**
 * The waterfall: one row per step on the run's time axis, with the step's provider attempts (or
 * tool calls) nested inside it, approval waits, and markers for cache hits and reused steps. Built
 * from the trace events alone (their `ts`), so a live run's bars grow as events arrive. Pure.
 */
import { known, type NodeState, type RunView, type TraceEventView } from "./model.ts";

export interface Span {
  start: number;
  /** null while it is still going (drawn up to `now`). */
  end: number | null;
}

export interface AttemptBar extends Span {
  label: string;
  ok: boolean | null;
  /** A fallback provider (not the node's first choice). */
  fallback: boolean;
  error?: string;
}

export interface WaterfallRow extends Span {
  stepId: string;
  nodeId: string;
  state: NodeState;
  attempts: AttemptBar[];
  waits: Span[];
  marker: "cache" | "reused" | null;
  latencyMs?: number;
  tokens?: number;
  costCents?: string | null;
}

export interface Waterfall {
  /** Epoch ms of the run's first event: every span is ms after it. */
  origin: number;
  /** The axis' end: the last event, or `now` while the run goes on. */
  end: number;
  rows: WaterfallRow[];
}

interface Builder {
  rows: Map<string, WaterfallRow>;
  open: Map<string, AttemptBar>;
  origin: number;
}

export function buildWaterfall(events: TraceEventView[], view: RunView, now: number = Date.now()): Waterfall {
  const first = events[0] ? Date.parse(events[0].ts) : now;
  const b: Builder = { rows: new Map(), open: new Map(), origin: first };
  let last = first;
  for (const e of events) {
    const t = Date.parse(e.ts);
    if (t > last) last = t;
    if (e.stepId) applyToRow(b, e, t - first, view);
  }
  const rows = [...b.rows.values()];
  for (const row of rows) fillFigures(row, view);
  return { origin: first, end: (view.finished ? last : Math.max(last, now)) - first, rows };
}

function rowOf(b: Builder, e: TraceEventView, at: number, view: RunView): WaterfallRow {
  const stepId = e.stepId as string;
  let row = b.rows.get(stepId);
  if (!row) {
    const nodeId = view.nodeOf.get(stepId) ?? String(e.payload.nodeId ?? "?");
    row = { stepId, nodeId, state: "running", start: at, end: null, attempts: [], waits: [], marker: null };
    b.rows.set(stepId, row);
  }
  return row;
}

/** An agent's calls: its iteration in the label, and each tool call its own bar (they run side by side). */
const iterationOf = (p: { iteration?: number | undefined }) => (p.iteration ? ` · iteration ${p.iteration}` : "");
const callKey = (row: WaterfallRow, p: { toolCallId?: string | undefined }) =>
  p.toolCallId ? `${row.stepId}|${p.toolCallId}` : row.stepId;

function applyToRow(b: Builder, raw: TraceEventView, at: number, view: RunView) {
  const row = rowOf(b, raw, at, view);
  const e = known(raw);
  switch (e.kind) {
    case "llm.request":
      openAttempt(b, row, at, `${e.payload.provider}/${e.payload.model}${iterationOf(e.payload)}`);
      break;
    case "tool.request":
      openAttempt(b, row, at, `${e.payload.name ?? e.payload.tool}${iterationOf(e.payload)}`, callKey(row, e.payload));
      break;
    case "llm.response":
      closeAttempt(b, row, at, true);
      break;
    case "tool.response":
      closeAttempt(b, row, at, e.payload.isError !== true, undefined, callKey(row, e.payload));
      break;
    case "retry":
      closeAttempt(b, row, at, false, e.payload.message);
      break;
    case "approval.requested":
      row.waits.push({ start: at, end: null });
      break;
    case "approval.resolved":
      closeWait(row, at);
      break;
    case "cache.hit":
      row.marker = "cache";
      break;
    case "step.reused":
      row.marker = "reused";
      row.end = at;
      break;
    case "step.finished":
    case "step.failed":
    case "step.skipped":
      row.end = at;
      closeAttempt(b, row, at, e.kind === "step.finished" ? null : false);
      closeWait(row, at);
      break;
    default:
      break;
  }
}

function openAttempt(b: Builder, row: WaterfallRow, at: number, label: string, key = row.stepId) {
  const first = row.attempts[0]?.label;
  // A fallback is another provider than the first's (an agent's later iterations are not fallbacks).
  const provider = (l: string | undefined) => l?.split(" · ")[0];
  const fallback = first !== undefined && key === row.stepId && provider(first) !== provider(label);
  const bar: AttemptBar = { start: at, end: null, label, ok: null, fallback };
  row.attempts.push(bar);
  b.open.set(key, bar);
}

/** Ends the step's open attempt; `ok` null leaves an attempt the step ended around as it was. */
function closeAttempt(b: Builder, row: WaterfallRow, at: number, ok: boolean | null, error?: string, key?: string) {
  for (const k of key ? [key] : [...b.open.keys()].filter((k) => k === row.stepId || k.startsWith(`${row.stepId}|`))) {
    const bar = b.open.get(k);
    if (!bar) continue;
    bar.end = at;
    if (ok !== null) bar.ok = ok;
    if (error !== undefined) bar.error = error;
    b.open.delete(k);
  }
}

function closeWait(row: WaterfallRow, at: number) {
  const wait = row.waits.at(-1);
  if (wait && wait.end === null) wait.end = at;
}

function fillFigures(row: WaterfallRow, view: RunView) {
  const step = view.steps.get(row.nodeId);
  if (!step) return;
  row.state = step.state;
  if (step.latencyMs !== undefined) row.latencyMs = step.latencyMs;
  if (step.tokensInput !== undefined) row.tokens = (step.tokensInput ?? 0) + (step.tokensOutput ?? 0);
  if (step.costCents !== undefined) row.costCents = step.costCents;
}

/** Round tick marks for an axis of `span` ms: 1, 2 or 5 × a power of ten, about `count` of them. */
export function axisTicks(span: number, count = 6): number[] {
  if (span <= 0) return [0];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t <= span; t += step) ticks.push(t);
  return ticks;
}
