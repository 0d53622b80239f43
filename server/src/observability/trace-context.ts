/**
 * W3C trace context for runs: parsing a `traceparent`, and the ids of a run's spans. The ids
 * derive from the run's own ids (a run span from the run id, a step span from the step id, an
 * attempt span from its request event), so every process that executes part of a run — after a
 * crash, a hand-off or an approval wait — exports its spans into the same trace and under the same
 * parents, with nothing to pass around but the run id. (OpenTelemetry's tracer cannot take given
 * ids; the spans are built from the recorded events instead, see observability/span-projector.ts.)
 */
import { createHash } from "node:crypto";
import type { TraceParent } from "../domain/trace-context.ts";

export { formatTraceParent, parseTraceParent, type TraceParent } from "../domain/trace-context.ts";

const hex = (seed: string, bytes: number) =>
  createHash("sha256")
    .update(seed)
    .digest("hex")
    .slice(0, bytes * 2);

/** The run's trace: the caller's, or one of its own derived from the run id. */
export function runTraceId(runId: string, parent: TraceParent | null): string {
  return parent?.traceId ?? hex(`flowtrace.trace:${runId}`, 16);
}

export const runSpanId = (runId: string) => hex(`flowtrace.run:${runId}`, 8);
export const stepSpanId = (stepId: string) => hex(`flowtrace.step:${stepId}`, 8);
/** A provider or tool attempt: named by the seq of the event that opened it. */
export const attemptSpanId = (runId: string, seq: number) => hex(`flowtrace.attempt:${runId}:${seq}`, 8);
