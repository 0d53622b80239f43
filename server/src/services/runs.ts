/**
 * Run use cases: start (validate, snapshot the document, enqueue), cancel, and execute (the queue
 * processor's whole job). Transports and workers call these; they never touch the engine directly.
 */

import type { PrismaClient } from "../db/prisma.ts";
import type { Uuid } from "../domain/ids.ts";
import { isFinalRun, isResumableRun } from "../domain/run-status.ts";
import { channels } from "../domain/trace/events.ts";
import { runTraceFields } from "../domain/trace-context.ts";
import { validateWorkflow } from "../domain/workflow/validate.ts";
import { type EngineDeps, executeRun } from "../engine/executor.ts";
import { finishRun } from "../engine/finish-run.ts";
import { cancelQueuedRun, requeueWaitingRun } from "../engine/run-store.ts";
import type { JobQueue } from "../queue/queue.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import { toolCatalog } from "../tools/registry.ts";
import { TraceConflictError } from "../trace/recorder.ts";
import { cancelPendingApprovals } from "./approvals.ts";
import { audit } from "./audit.ts";
import { assertWithinBudget } from "./budgets.ts";
import { InvalidWorkflowError, NotFoundError } from "./errors.ts";
import { afterRunStopped } from "./run-alerts.ts";
import { assertCallChain } from "./workflow-calls.ts";

export { ConflictError, InvalidRequestError, InvalidWorkflowError, NotFoundError } from "./errors.ts";

export interface RunServiceDeps {
  prisma: PrismaClient;
  queue: JobQueue;
  pubsub: PubSub;
  providerNames: () => string[];
}

/** The caller's W3C trace context headers: the run becomes a child of its span. */
export interface TraceHeaders {
  traceparent?: string | null;
  tracestate?: string | null;
}

export async function startRun(
  deps: RunServiceDeps,
  input: {
    workflowId: Uuid;
    inputVars?: Record<string, unknown>;
    triggeredBy?: string | null;
    trace?: TraceHeaders;
    attribution?: RunAttribution;
  },
) {
  const workflow = await deps.prisma.workflow.findUnique({ where: { id: input.workflowId } });
  if (!workflow) throw new NotFoundError(`workflow ${input.workflowId} does not exist`);
  const validation = validateWorkflow(workflow.graphJson, { tools: toolCatalog, providers: deps.providerNames() });
  if (!validation.ok) throw new InvalidWorkflowError(validation.issues);
  await assertCallChain(deps.prisma, { id: workflow.id, name: workflow.name, graph: workflow.graphJson });
  await assertWithinBudget(deps.prisma, workflow.projectId);
  const run = await deps.prisma.workflowRun.create({
    data: {
      workflowId: workflow.id,
      ...attributionFields(input.attribution),
      triggeredBy: input.triggeredBy ?? null,
      inputVars: (input.inputVars ?? {}) as object,
      graphSnapshot: workflow.graphJson as object,
      workflowVersion: workflow.version,
      ...runTraceFields(input.trace ?? {}),
    },
  });
  await enqueueRun(deps, run.id);
  await audit(deps.prisma, {
    action: "run.start",
    targetType: "run",
    targetId: run.id,
    details: { workflow_id: workflow.id },
  });
  return run;
}

/** On whose behalf a run runs, in which session, tagged how (`user_id`, `session_id`, `tags` in the API). */
export interface RunAttribution {
  userId?: string | null | undefined;
  sessionId?: string | null | undefined;
  tags?: readonly string[] | null | undefined;
}

/** The run row's attribution columns (only those given: a re-run keeps its parent's otherwise). */
export function attributionFields(a: RunAttribution | undefined) {
  return {
    ...(a?.userId != null ? { endUserId: a.userId } : {}),
    ...(a?.sessionId != null ? { sessionId: a.sessionId } : {}),
    ...(a?.tags != null ? { tags: [...new Set(a.tags)] } : {}),
  };
}

/**
 * Hand a new run to the queue. If the queue cannot take it, the caller is told the run did not start
 * (503): it must not start later behind their back, nor stay `queued` forever. If the job does reach
 * the queue after all, the executor finds the run finished and leaves it.
 */
export async function enqueueRun(deps: Pick<RunServiceDeps, "prisma" | "queue" | "pubsub">, runId: string) {
  try {
    await deps.queue.enqueue("runs", { runId }, { jobId: runId });
  } catch (error) {
    await finishRun(deps, runId, {
      status: "failed",
      errorSummary: "not started: the job queue (Redis) was unavailable",
      onlyFrom: ["queued"],
    }).catch(() => {});
    throw error;
  }
}

/** Cancel a queued, running or waiting run. Returns false when it had already finished. */
export async function cancelRun(deps: RunServiceDeps, runId: Uuid): Promise<boolean> {
  const canceled = await cancelRunNow(deps, runId);
  if (canceled) {
    await audit(deps.prisma, { action: "run.cancel", targetType: "run", targetId: runId });
    await cancelChildren(deps, runId);
  }
  return canceled;
}

/** Cancel goes down: the sub-workflow runs the run started (and theirs) that have not ended. */
async function cancelChildren(deps: RunServiceDeps, runId: string): Promise<void> {
  const children = await deps.prisma.workflowRun.findMany({
    where: { parentRunId: runId, parentStepId: { not: null }, status: { in: ["queued", "running", "waiting"] } },
    select: { id: true },
  });
  for (const child of children) {
    if (await cancelRunNow(deps, child.id as Uuid)) await cancelChildren(deps, child.id);
  }
}

async function cancelRunNow(deps: RunServiceDeps, runId: Uuid): Promise<boolean> {
  const run = await deps.prisma.workflowRun.findUnique({ where: { id: runId } });
  if (!run) throw new NotFoundError(`run ${runId} does not exist`);
  if (run.status === "queued") {
    if (await cancelQueuedRun(deps.prisma, runId)) return true;
  }
  if (run.status === "waiting" && (await cancelWaitingRun(deps, runId))) return true;
  const now = await deps.prisma.workflowRun.findUnique({ where: { id: runId }, select: { status: true } });
  if (now && isResumableRun(now.status)) {
    await deps.pubsub.publish(channels.control(runId), { type: "cancel" });
    return true;
  }
  // A decision won the race and the run resumed, or it finished meanwhile: try once more from its new state.
  return now?.status === "waiting" ? cancelWaitingRun(deps, runId) : false;
}

/** A waiting run has no executor to tell: end it here (only if it still waits) and close its approvals. */
async function cancelWaitingRun(deps: RunServiceDeps, runId: string): Promise<boolean> {
  const ended = await finishRun(deps, runId, {
    status: "canceled",
    errorSummary: "canceled while waiting for approval",
    onlyFrom: ["waiting"],
  });
  if (ended) await cancelPendingApprovals(deps, runId);
  return ended;
}

/** Whether the run's trace grows (or the run ends) within `ms`: someone is executing it. */
async function traceMovesOn(engine: EngineDeps, runId: string, ms = 12_000): Promise<boolean> {
  const last = () =>
    engine.prisma.traceEvent.findFirst({ where: { runId }, orderBy: { seq: "desc" }, select: { seq: true } });
  const before = (await last())?.seq ?? 0;
  for (const until = Date.now() + ms; Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 500));
    const run = await engine.prisma.workflowRun.findUnique({ where: { id: runId }, select: { status: true } });
    if (!run || !isResumableRun(run.status)) return true;
    if (((await last())?.seq ?? 0) > before) return true;
  }
  return false;
}

export function createRunProcessor(engine: EngineDeps, queue?: Pick<JobQueue, "enqueue">) {
  return async ({ runId }: { runId: string }, ctx: { signal: AbortSignal }) => {
    try {
      const status = await executeRun(runId, engine, { handoff: ctx.signal });
      if (status === "waiting" && queue) await resumeIfDecided(engine.prisma, queue, runId);
      if (isFinalRun(status) && queue) await resumeCaller(engine.prisma, queue, runId);
      await afterRunStopped(engine.prisma, runId, status).catch((error: Error) => {
        engine.logger.warn({ runId, err: error.message }, "could not raise the run's alerts");
      });
    } catch (error) {
      // Two executors on one run: the first writer carries on; this job is done (not retried) — if
      // that writer is alive. A write of a previous attempt that landed late (its recorder was
      // still retrying through a database outage) looks the same but has nobody behind it: when
      // the trace does not move on, the job is retried and resumes from what is stored.
      if (error instanceof TraceConflictError) {
        engine.logger.warn({ runId }, error.message);
        if (await traceMovesOn(engine, runId)) return;
        throw new Error(`run ${runId}: the other writer of its trace stopped; resuming it`);
      }
      throw error;
    }
  };
}

/**
 * A run parked while its approvals were being decided (an agent's several tool approvals: a
 * decision that lands while the run still runs is recorded, not resumed): with nothing left
 * pending, it goes back to the queue at once instead of waiting for a decision already made.
 */
async function resumeIfDecided(prisma: PrismaClient, queue: Pick<JobQueue, "enqueue">, runId: string) {
  if ((await prisma.approval.count({ where: { runId, status: "pending" } })) > 0) return;
  // A sub-workflow still going (waiting for a person): its end resumes this run (resumeCaller).
  const open = { parentRunId: runId, parentStepId: { not: null }, status: { in: ["queued", "running", "waiting"] } };
  if ((await prisma.workflowRun.count({ where: open as never })) > 0) return;
  const jobId = `resume-${runId}-${Date.now()}`;
  if (!(await requeueWaitingRun(prisma, runId, { waitedMs: 0, jobId }))) return;
  await queue.enqueue("runs", { runId }, { jobId });
}

/** A sub-workflow's run ended in a job of its own (after a decision): its calling run waits for it. */
async function resumeCaller(prisma: PrismaClient, queue: Pick<JobQueue, "enqueue">, runId: string) {
  const run = await prisma.workflowRun.findUnique({
    where: { id: runId },
    select: { parentRunId: true, parentStepId: true },
  });
  if (!run?.parentRunId || !run.parentStepId) return;
  await resumeIfDecided(prisma, queue, run.parentRunId);
}

/**
 * The queue will not try a run again (attempts used up, or its worker kept dying): fail it with the
 * reason, close its open steps, and tell live readers, so no run stays `running` forever.
 */
export async function markRunLost(
  deps: Pick<EngineDeps, "prisma" | "pubsub">,
  runId: string,
  reason: string,
): Promise<boolean> {
  return finishRun(deps, runId, {
    status: "failed",
    errorSummary: `the executor gave up on this run: ${reason}`,
    onlyFrom: ["queued", "running"],
  });
}

/**
 * In embedded mode the queue lives in memory: at start-up, runs left queued or running by a
 * previous process are enqueued again (running ones resume from their checkpoint).
 */
export async function requeueUnfinishedRuns(deps: Pick<RunServiceDeps, "prisma" | "queue">): Promise<string[]> {
  const runs = await deps.prisma.workflowRun.findMany({
    where: { status: { in: ["queued", "running"] } },
    select: { id: true, jobId: true },
    orderBy: { createdAt: "asc" },
  });
  for (const r of runs) await deps.queue.enqueue("runs", { runId: r.id }, { jobId: r.jobId ?? r.id });
  return runs.map((r) => r.id);
}

/**
 * Enqueue again the runs that have been `queued` for a while: their job may be gone (a Redis that
 * restarted without persistence). The job id is the run id, so a job still waiting is not added twice.
 * Returns the run ids handed to the queue.
 */
export async function requeueStaleQueuedRuns(
  deps: Pick<RunServiceDeps, "prisma" | "queue">,
  options: { now?: Date; olderThanMs?: number } = {},
): Promise<string[]> {
  const now = options.now ?? new Date();
  const runs = await deps.prisma.workflowRun.findMany({
    where: { status: "queued", createdAt: { lt: new Date(now.getTime() - (options.olderThanMs ?? 60_000)) } },
    select: { id: true, jobId: true },
    orderBy: { createdAt: "asc" },
    take: 1_000,
  });
  // A resumed run's job has its own id (its first job may still be remembered as completed).
  for (const r of runs) await deps.queue.enqueue("runs", { runId: r.id }, { jobId: r.jobId ?? r.id });
  return runs.map((r) => r.id);
}

/**
 * Mark runs that no executor can still be working on as failed: every run has a deadline
 * (limits.timeoutSeconds, capped by the server), so a run still `running` well past it has lost its
 * executor for good (a killed worker whose job also ran out of retries). Returns the reaped run ids.
 */
export async function reapDeadRuns(
  deps: { prisma: PrismaClient; pubsub: PubSub },
  options: { now?: Date; graceMs?: number; maxRunSeconds?: number } = {},
): Promise<string[]> {
  const { prisma } = deps;
  const now = options.now ?? new Date();
  const graceMs = options.graceMs ?? 5 * 60_000;
  const maxRunSeconds = options.maxRunSeconds ?? 3_600;
  const candidates = await prisma.workflowRun.findMany({
    where: { status: "running", startedAt: { lt: new Date(now.getTime() - graceMs) } },
    select: { id: true, startedAt: true, graphSnapshot: true, waitedMs: true },
  });
  const reaped: string[] = [];
  for (const run of candidates) {
    const limits = (run.graphSnapshot as { limits?: { timeoutSeconds?: number } } | null)?.limits;
    const deadlineMs = Math.min(limits?.timeoutSeconds ?? 300, maxRunSeconds) * 1000;
    // Time spent waiting for approvals does not count against the deadline.
    const activeSince = (run.startedAt?.getTime() ?? 0) + run.waitedMs;
    if (!run.startedAt || activeSince + deadlineMs + graceMs > now.getTime()) continue;
    const finished = await finishRun(deps, run.id, {
      status: "failed",
      errorSummary: `reaped: no executor finished this run within its ${deadlineMs / 1000} s deadline (the worker running it was lost)`,
      onlyFrom: ["running"],
      now,
    });
    if (finished) reaped.push(run.id);
  }
  return reaped;
}
