/** The trace event vocabulary. Every persisted event carries a per-run, gap-free `seq`. */
export const TRACE_EVENT_KINDS = [
  "run.started",
  "step.started",
  "llm.request",
  "llm.response",
  "tool.request",
  "tool.response",
  "router.branch",
  "retry",
  "fallback",
  "cache.hit",
  "log",
  "step.finished",
  "step.failed",
  "step.skipped",
  "run.finished",
] as const;

export type TraceEventKind = (typeof TRACE_EVENT_KINDS)[number];

export interface TraceEvent {
  runId: string;
  stepId: string | null;
  seq: number;
  /** ISO-8601 with milliseconds. */
  ts: string;
  kind: TraceEventKind;
  payload: Record<string, unknown>;
}

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
