/**
 * Which status may follow which, for runs and for their steps: one table each, pure. The run store
 * (engine/run-store.ts), the only writer of statuses, guards every write with it — a write whose row
 * is no longer in an allowed source status changes nothing (someone else moved it on first).
 */

export const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "canceled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type FinalRunStatus = "succeeded" | "failed" | "canceled";

export const STEP_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "canceled", "skipped"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** For each status, the statuses a run may move to from it. */
const RUN_NEXT: Record<RunStatus, readonly RunStatus[]> = {
  // Started by an executor; canceled or failed before it started (no queue, a cancel).
  queued: ["running", "canceled", "failed"],
  // Resumed by another executor (still running); parked at a gate; ended.
  running: ["running", "waiting", "succeeded", "failed", "canceled"],
  // A decision queues it again; canceled or failed while it waits. A stale job may pick it up (it
  // runs to the gate again and parks).
  waiting: ["queued", "running", "canceled", "failed"],
  succeeded: [],
  failed: [],
  canceled: [],
};

/** For each status, the statuses a step may move to from it. */
const STEP_NEXT: Record<StepStatus, readonly StepStatus[]> = {
  queued: ["running", "succeeded", "failed", "canceled", "skipped", "waiting", "queued"],
  running: ["running", "succeeded", "failed", "canceled", "waiting", "queued"],
  // An approval step resumes (runs again and finishes) or ends with its run.
  waiting: ["running", "succeeded", "failed", "canceled", "waiting", "queued"],
  // A step whose final row landed but whose checkpoint did not runs again on resume and stores the
  // same answer (the journal's) once more.
  succeeded: ["succeeded"],
  failed: [],
  canceled: [],
  // A skip decided again on resume.
  skipped: ["skipped"],
};

export const isFinalRun = (status: string): status is FinalRunStatus =>
  status === "succeeded" || status === "failed" || status === "canceled";

/** A run a job would still execute (or resume from its checkpoint). */
export const isResumableRun = (status: string): boolean => status === "queued" || status === "running";

/** A run not ended yet: queued, running or waiting. */
export const isOpenRun = (status: string): boolean => !isFinalRun(status);

/** A step that has not ended: queued, running or waiting (closed as `canceled` when its run ends). */
export const isOpenStep = (status: string): boolean =>
  status === "queued" || status === "running" || status === "waiting";

export const canMoveRun = (from: RunStatus, to: RunStatus): boolean => RUN_NEXT[from].includes(to);
export const canMoveStep = (from: StepStatus, to: StepStatus): boolean => STEP_NEXT[from].includes(to);

/** The statuses a run may be in for a write of `to` to apply. */
export function runSourcesOf(to: RunStatus): RunStatus[] {
  return RUN_STATUSES.filter((from) => canMoveRun(from, to));
}

/** The statuses a step may be in for a write of `to` to apply. */
export function stepSourcesOf(to: StepStatus): StepStatus[] {
  return STEP_STATUSES.filter((from) => canMoveStep(from, to));
}

/** `from`, checked against the table: a caller may narrow the sources of a move, never widen them. */
export function narrowRunSources(to: RunStatus, from: readonly RunStatus[]): RunStatus[] {
  const illegal = from.filter((s) => !canMoveRun(s, to));
  if (illegal.length > 0) throw new Error(`a run cannot move from ${illegal.join(", ")} to ${to}`);
  return [...from];
}

export const OPEN_STEP_STATUSES = STEP_STATUSES.filter(isOpenStep);
