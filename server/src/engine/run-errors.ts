/**
 * The run-control errors: how a step says "stop here" for reasons other than a failure of its own.
 * One small vocabulary, mapped to step and run statuses in one place (outcome.ts). Provider,
 * tool, template and expression errors live with what raises them; `HandoffError` (a worker
 * shutting down: resume elsewhere) is in domain/handoff.ts, `LimitExceededError` in budget.ts.
 */
import type { Approval } from "../db/prisma.ts";

/** The run was canceled (by a person, or while it waited): its open steps end `canceled`. */
export class CanceledError extends Error {
  override readonly name = "CanceledError";
}

/** The step stops here until someone decides; not an ending of the run (it is parked `waiting`). */
export class WaitingForApprovalError extends Error {
  override readonly name = "WaitingForApprovalError";
  constructor(readonly approval: Approval) {
    super(`waiting for approval at node ${approval.nodeId}`);
  }
}

/** A sub-workflow's run waits (for a person): the calling step waits with it, holding no worker. */
export class WaitingForChildError extends Error {
  override readonly name = "WaitingForChildError";
  constructor(readonly childRunId: string) {
    super(`waiting for sub-workflow run ${childRunId}`);
  }
}

/** The approval's deadline passed with `onTimeout: "fail"`. */
export class ApprovalTimedOutError extends Error {
  override readonly name = "ApprovalTimedOutError";
}

/** A replay met a request its recording does not hold (`replay.miss`). */
export class ReplayMissError extends Error {
  override readonly name = "ReplayMissError";
}
