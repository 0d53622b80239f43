/**
 * Trace events. Every persisted event carries a per-run, gap-free `seq`; its payload follows the
 * kind's schema in payloads.ts, so `switch (e.kind)` narrows `e.payload`.
 */
import type { StoredPayload, TraceEventKind } from "./payloads.ts";

export { TRACE_EVENT_KINDS, type TraceEventKind, type TracePayload } from "./payloads.ts";

interface TraceEventOf<K extends TraceEventKind> {
  runId: string;
  stepId: string | null;
  seq: number;
  /** ISO-8601 with milliseconds. */
  ts: string;
  kind: K;
  payload: StoredPayload<K>;
}

/** A stored trace event: one member per kind. */
export type TraceEvent = { [K in TraceEventKind]: TraceEventOf<K> }[TraceEventKind];

/**
 * A stored row as a trace event. Rows are written only by the recorder's typed `emit`, so the
 * payload is the kind's (the database is the journal); this is the one place that says so.
 */
export function storedEvent(row: {
  runId: string;
  stepId: string | null;
  seq: number;
  ts: Date | string;
  kind: string;
  payload: unknown;
}): TraceEvent {
  return {
    runId: row.runId,
    stepId: row.stepId,
    seq: row.seq,
    ts: typeof row.ts === "string" ? row.ts : row.ts.toISOString(),
    kind: row.kind,
    payload: row.payload ?? {},
  } as TraceEvent;
}

/** An event without its run id, seq and time: what a reader of one run's stream folds. */
export type TraceEventBody = {
  [K in TraceEventKind]: { kind: K; stepId: string | null; payload: StoredPayload<K> };
}[TraceEventKind];

/**
 * The `default` of an exhaustive `switch (e.kind)`: a kind this build does not handle is a compile
 * error, while at run time an event of a kind only a newer server knows is skipped.
 */
export function otherKind(_event: never): void {}

/** Ephemeral streamed output: published live, never persisted, no seq. */
export interface DeltaEvent {
  runId: string;
  stepId: string;
  kind: "llm.delta";
  ts: string;
  text: string;
}

export const channels = {
  events: (runId: string) => `run:${runId}:events`,
  deltas: (runId: string) => `run:${runId}:deltas`,
  control: (runId: string) => `run:${runId}:control`,
};

export const TERMINAL_EVENT: TraceEventKind = "run.finished";

/** A message on a run's events channel carries one flush: the events in seq order. */
export function eventsOf(message: unknown): TraceEvent[] {
  return Array.isArray(message) ? (message as TraceEvent[]) : message ? [message as TraceEvent] : [];
}
