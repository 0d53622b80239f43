/**
 * The one writer of run and step status. Every change is a guarded write: it applies only while the
 * row is still in a status the transition table (domain/run-status.ts) allows as its source, and
 * says whether it applied — whoever moved the row on first wins, and nobody reopens what another
 * closed. An architecture test keeps status writes out of every other file. Takes a Prisma client
 * or a transaction, so a move can join the caller's transaction (an approval's decision).
 */
import { Prisma, type PrismaClient } from "../db/prisma.ts";
import {
  type FinalRunStatus,
  narrowRunSources,
  OPEN_STEP_STATUSES,
  type RunStatus,
  runSourcesOf,
  type StepStatus,
  stepSourcesOf,
} from "../domain/run-status.ts";
import type { StepResult } from "./step-context.ts";

type Db = Pick<PrismaClient, "workflowRun" | "runStep">;
type RunData = Omit<Prisma.WorkflowRunUpdateManyMutationInput, "status">;
type StepData = Omit<Prisma.RunStepUpdateManyMutationInput, "status">;

async function moveRun(db: Db, runId: string, to: RunStatus, data: RunData, from?: readonly RunStatus[]) {
  const sources = from ? narrowRunSources(to, from) : runSourcesOf(to);
  const moved = await db.workflowRun.updateMany({
    where: { id: runId, status: { in: sources } },
    data: { ...data, status: to },
  });
  return moved.count > 0;
}

async function moveStep(db: Db, stepId: string, to: StepStatus, data: StepData = {}) {
  const moved = await db.runStep.updateMany({
    where: { id: stepId, status: { in: stepSourcesOf(to) } },
    data: { ...data, status: to },
  });
  return moved.count > 0;
}

// ---- runs -------------------------------------------------------------------------------------

/** An executor starts (or resumes) the run; false when it ended meanwhile (canceled while queued). */
export const startRun = (db: Db, runId: string, startedAt: Date) => moveRun(db, runId, "running", { startedAt });

/** The run stopped at a gate: parked as `waiting` (only from `running`: a decision may have moved it on). */
export const parkRun = (db: Db, runId: string) => moveRun(db, runId, "waiting", {});

/** A decision queues a waiting run again, adding the time it waited. */
export const requeueWaitingRun = (db: Db, runId: string, data: { waitedMs: number; jobId: string }) =>
  moveRun(db, runId, "queued", { waitedMs: { increment: data.waitedMs }, jobId: data.jobId }, ["waiting"]);

/** A run canceled before any executor took it (its trace is closed by the executor that finds it). */
export const cancelQueuedRun = (db: Db, runId: string, now = new Date()) =>
  moveRun(db, runId, "canceled", { finishedAt: now, errorSummary: "canceled before it started" }, ["queued"]);

/**
 * The run's final status and figures, from `onlyFrom` (default: any open status), with every step it
 * left open closed as `canceled` — in one transaction, so nobody reads an ended run with a step
 * still queued or running.
 */
export async function endRun(
  prisma: PrismaClient,
  runId: string,
  end: { status: FinalRunStatus; data: RunData; onlyFrom?: readonly RunStatus[] | undefined; now: Date },
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const moved = await moveRun(tx, runId, end.status, { ...end.data, finishedAt: end.now }, end.onlyFrom);
    if (moved && end.status !== "succeeded") {
      await tx.runStep.updateMany({
        where: { runId, status: { in: OPEN_STEP_STATUSES } },
        data: { status: "canceled", finishedAt: end.now },
      });
    }
    return moved;
  });
}

// ---- steps ------------------------------------------------------------------------------------

/** No active inbound edge: the step will not run. */
export const skipStep = (db: Db, stepId: string) => moveStep(db, stepId, "skipped");

/** The step waits at a gate (an approval). */
export const parkStep = (db: Db, stepId: string) => moveStep(db, stepId, "waiting");

/** The run is handed back (a worker shutting down): the step runs again from the start elsewhere. */
export const handBackStep = (db: Db, stepId: string) => moveStep(db, stepId, "queued", { startedAt: null });

/** The step ended without an answer: `failed`, or `canceled` with its run. */
export const stopStep = (
  db: Db,
  stepId: string,
  stop: { status: "failed" | "canceled"; finishedAt: Date; latencyMs: number; error: string },
) => moveStep(db, stepId, stop.status, { finishedAt: stop.finishedAt, latencyMs: stop.latencyMs, error: stop.error });

/** A re-run's step answered by its parent's recorded step (cost 0, its source named). */
export const reuseStepRow = (
  db: Db,
  stepId: string,
  reused: { at: Date; latencyMs: number; output: unknown; sourceStepId: string },
) =>
  moveStep(db, stepId, "succeeded", {
    startedAt: reused.at,
    finishedAt: reused.at,
    latencyMs: reused.latencyMs,
    costCents: new Prisma.Decimal(0),
    output: reused.output === null ? Prisma.JsonNull : (reused.output as Prisma.InputJsonValue),
    reused: true,
    sourceStepId: reused.sourceStepId,
  });

// ---- the step's hot-path writes, as SQL riding in the trace recorder's statement ---------------

const inList = (statuses: readonly StepStatus[]) => Prisma.join(statuses.map((s) => Prisma.sql`${s}::step_status`));

/** `running` — never over a finished step: a second executor must not reopen what the first closed. */
export function runningMark(stepId: string, startedAt: Date): Prisma.Sql {
  return Prisma.sql`UPDATE run_steps
    SET status = 'running'::step_status, started_at = ${startedAt.toISOString()}::timestamptz, error = NULL
    WHERE id = ${stepId}::uuid AND status IN (${inList(stepSourcesOf("running"))})`;
}

const numericOrNull = (value: { toString(): string } | null | undefined) =>
  value === null || value === undefined ? null : value.toString();

/**
 * The finished step: when it started (a step that finishes within one flush interval never had its
 * running mark written on its own), figures, cost at the price used, and the full output.
 */
export function finishedRow(
  stepId: string,
  done: { result: StepResult; output: unknown; latencyMs: number; startedAt: Date; finishedAt: Date },
): Prisma.Sql {
  const { result } = done;
  const output = done.output === undefined ? "null" : JSON.stringify(done.output);
  return Prisma.sql`UPDATE run_steps SET
      status = 'succeeded'::step_status,
      started_at = COALESCE(started_at, ${done.startedAt.toISOString()}::timestamptz),
      finished_at = ${done.finishedAt.toISOString()}::timestamptz,
      latency_ms = ${done.latencyMs}::int,
      tokens_input = ${result.tokensInput}::int,
      tokens_output = ${result.tokensOutput}::int,
      tokens_reasoning = ${result.tokensReasoning ?? 0}::int,
      usage_source = ${result.usageSource ?? "provider"},
      cost_cents = ${numericOrNull(result.cost)}::numeric,
      model = ${result.model ?? null}::text,
      cached = ${result.cached}::boolean,
      saved_cost_cents = ${numericOrNull(result.savedCostCents)}::numeric,
      output = ${output}::jsonb
    WHERE id = ${stepId}::uuid AND status IN (${inList(stepSourcesOf("succeeded"))})`;
}
