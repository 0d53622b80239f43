/** Test helper: a trace event as the dashboard holds it, its time derived from its seq. */
import type { TraceEventView } from "./model.ts";

export const ev = (
  seq: number,
  kind: string,
  stepId: string | null,
  payload: Record<string, unknown> = {},
): TraceEventView => ({
  seq,
  kind,
  ts: new Date(1_700_000_000_000 + seq).toISOString(),
  stepId,
  payload,
});
