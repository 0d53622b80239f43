/**
 * Reading runs for the transports: a run, its steps, one step (whole output), a page of its trace.
 * REST and GraphQL call these instead of the database; GraphQL passes its field selection through.
 */

import type { Prisma, PrismaClient } from "../db/prisma.ts";
import { parseUuid, type Uuid } from "../domain/ids.ts";
import { storedEvent, type TraceEvent } from "../domain/trace/events.ts";
import { listPendingApprovals, type PendingApproval } from "./approvals.ts";
import { NotFoundError } from "./runs.ts";

type Deps = { prisma: PrismaClient };
/** A GraphQL field selection (Pothos' `query`), merged into the lookup. */
type Selection = { include?: unknown; select?: unknown };

/** The run, or null when there is none with this id. */
export function findRun<Q extends Selection>(deps: Deps, runId: Uuid, query?: Q) {
  return deps.prisma.workflowRun.findUnique({ ...(query as object), where: { id: runId } });
}

/** The run, or NotFoundError (a 404). */
export async function getRun(deps: Deps, runId: Uuid) {
  const run = await findRun(deps, runId);
  if (!run) throw new NotFoundError(`run ${runId} does not exist`);
  return run;
}

/** What a run's OpenTelemetry spans are named and parented by; null when the run is gone. */
export async function runSpanInfo(deps: Deps, runId: string) {
  const run = await deps.prisma.workflowRun.findUnique({
    where: { id: runId },
    select: {
      workflowId: true,
      workflowVersion: true,
      startedAt: true,
      traceParent: true,
      traceState: true,
      endUserId: true,
      sessionId: true,
      tags: true,
      workflow: { select: { name: true, project: { select: { name: true } } } },
    },
  });
  if (!run) return null;
  return { ...run, workflowName: run.workflow.name, projectName: run.workflow.project.name };
}

/**
 * Whether a reader that has seen every event up to `afterSeq` has nothing left to receive: the run's
 * trace is closed (its last stored event is `run.finished`) at or before that point.
 */
export async function traceEndedBy(deps: Deps, runId: string, afterSeq: number): Promise<boolean> {
  const last = await deps.prisma.traceEvent.findFirst({
    where: { runId },
    orderBy: { seq: "desc" },
    select: { seq: true, kind: true },
  });
  return last?.kind === "run.finished" && last.seq <= afterSeq;
}

/** A run's steps in the order they started, without their (possibly large) outputs. */
export function listSteps(deps: Deps, runId: string) {
  return deps.prisma.runStep.findMany({
    where: { runId },
    orderBy: [{ startedAt: { sort: "asc", nulls: "last" } }, { finishedAt: { sort: "asc", nulls: "last" } }],
    omit: { output: true },
  });
}

/** One step of a run, by step id or node id, with its whole output; NotFoundError when absent. */
export async function getStep(deps: Deps, runId: string, stepOrNodeId: string) {
  const step = await deps.prisma.runStep.findFirst({
    where: parseUuid(stepOrNodeId) ? { id: stepOrNodeId, runId } : { nodeId: stepOrNodeId, runId },
  });
  if (!step) throw new NotFoundError(`run ${runId} has no step ${stepOrNodeId}`);
  return step;
}

/** A step by id, or null. */
export function findStep<Q extends Selection>(deps: Deps, stepId: Uuid, query?: Q) {
  return deps.prisma.runStep.findUnique({ ...(query as object), where: { id: stepId } });
}

/** Up to `limit` stored events after `afterSeq`, in order. */
export async function tracePage(deps: Deps, runId: string, afterSeq: number, limit: number): Promise<TraceEvent[]> {
  const rows = await deps.prisma.traceEvent.findMany({
    where: { runId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
  });
  return rows.map(storedEvent);
}

/** Runs, newest first, optionally of one workflow and in one status. */
export function listRuns<Q extends Selection>(
  deps: Deps,
  filter: {
    workflowId?: Uuid | null;
    status?: Prisma.WorkflowRunWhereInput["status"] | null;
    userId?: string | null | undefined;
    sessionId?: string | null | undefined;
    tag?: string | null | undefined;
  },
  query?: Q,
) {
  return deps.prisma.workflowRun.findMany({
    ...(query as object),
    where: {
      ...(filter.workflowId ? { workflowId: filter.workflowId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.userId ? { endUserId: filter.userId } : {}),
      ...(filter.sessionId ? { sessionId: filter.sessionId } : {}),
      ...(filter.tag ? { tags: { has: filter.tag } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

/** The sub-workflow runs a run started, in the order they started. */
export async function listChildRuns(deps: { prisma: PrismaClient }, runId: string) {
  return deps.prisma.workflowRun.findMany({
    where: { parentRunId: runId, parentStepId: { not: null } },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * A waiting run's pending approvals: its own, else those its waiting sub-workflow runs wait on (so
 * the calling run's view can decide them).
 */
export async function pendingApprovalsWithin(
  deps: { prisma: PrismaClient },
  runId: string,
  depth = 0,
): Promise<PendingApproval[]> {
  const own = await listPendingApprovals(deps, { runId });
  if (own.length > 0 || depth >= 20) return own;
  const waiting = await deps.prisma.workflowRun.findMany({
    where: { parentRunId: runId, parentStepId: { not: null }, status: "waiting" },
    select: { id: true },
  });
  for (const child of waiting) {
    const found = await pendingApprovalsWithin(deps, child.id, depth + 1);
    if (found.length > 0) return found;
  }
  return [];
}

/** The waiting sub-workflow runs under a run, nearest first (at most 20 levels down). */
export async function waitingDescendants(deps: { prisma: PrismaClient }, runId: string): Promise<string[]> {
  const out: string[] = [];
  let level = [runId];
  for (let depth = 0; depth < 20 && level.length > 0; depth++) {
    const children = await deps.prisma.workflowRun.findMany({
      where: { parentRunId: { in: level }, parentStepId: { not: null }, status: "waiting" },
      select: { id: true },
    });
    level = children.map((c) => c.id);
    out.push(...level);
  }
  return out;
}
