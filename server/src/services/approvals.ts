/**
 * Approval use cases: decide (exactly once, whoever asks), list what waits, resolve deadlines, and
 * close the approvals of a canceled run. A decision is one transaction that locks the run's row:
 * two deciders, a decider and a cancel, or a decider and the timeout sweep serialise on it, and
 * only the first finds the run still `waiting`. The winner moves the run to `queued` and enqueues
 * its resume under a job id of its own (the run's first job may still be remembered by the queue).
 */
import { type Approval, Prisma, type PrismaClient } from "../db/prisma.ts";
import type { Uuid } from "../domain/ids.ts";
import { requeueWaitingRun } from "../engine/run-store.ts";
import type { JobQueue } from "../queue/queue.ts";
import { audit } from "./audit.ts";
import { ConflictError, InvalidRequestError, NotFoundError } from "./errors.ts";

export type Decision = "approve" | "reject";
type Outcome = "approved" | "rejected" | "timed_out";

export interface DecideInput {
  runId: Uuid;
  nodeId: string;
  decision: Decision;
  comment?: string | null;
  /** Who decides: the caller's name when it gave one, else the door it came through (api, graphql, cli). */
  decidedBy: string;
}

/** What a decision may carry besides approve/reject: a tool call's edited arguments, a budget's extension. */
export interface DecisionExtras {
  args?: Record<string, unknown> | undefined;
  extendCents?: string | undefined;
}

/** A decision by approval id (gate, tool or budget): `POST /api/approvals/:approvalId`. */
export interface DecideByIdInput extends DecisionExtras {
  approvalId: Uuid;
  decision: Decision;
  comment?: string | null;
  decidedBy: string;
}

/** The queue job id of the run's stretch after this approval. */
export const resumeJobId = (approvalId: string) => `resume-${approvalId}`;

/**
 * Record the decision and resume the run. NotFoundError for an unknown run or node; ConflictError
 * when the approval was already decided or the run is not waiting at it.
 */
export async function decideApproval(
  deps: { prisma: PrismaClient; queue: Pick<JobQueue, "enqueue"> },
  input: DecideInput,
) {
  const outcome: Outcome = input.decision === "approve" ? "approved" : "rejected";
  // Found through the (project-scoped) client first: the raw lock in resolveApproval sees every project.
  const visible = await deps.prisma.workflowRun.findUnique({ where: { id: input.runId }, select: { id: true } });
  if (!visible) throw new NotFoundError(`run ${input.runId} does not exist`);
  const approval = await resolveApproval(deps.prisma, { ...input, approvalKey: input.nodeId }, outcome);
  if (approval.requeued) await enqueueResume(deps, approval);
  await audit(deps.prisma, {
    action: "approval.decide",
    targetType: "run",
    targetId: input.runId,
    details: { node_id: input.nodeId, decision: outcome },
  });
  return deps.prisma.workflowRun.findUniqueOrThrow({ where: { id: input.runId } });
}

/**
 * Hand the resumed run to the queue. Should the queue be away, the run stays `queued` with its
 * job id recorded, and the stale-run sweep enqueues it when the queue is back: the decision is
 * never lost and never applied twice.
 */
async function enqueueResume(deps: { queue: Pick<JobQueue, "enqueue"> }, approval: Approval) {
  await deps.queue
    .enqueue("runs", { runId: approval.runId }, { jobId: resumeJobId(approval.id) })
    .catch(() => undefined);
}

type Resolve = Pick<DecideInput, "runId" | "nodeId" | "comment" | "decidedBy"> &
  DecisionExtras & { approvalKey: string };

/** A decision's extras, checked against the approval's kind (a tool's arguments, a budget's extension). */
function extrasFor(approval: Approval, input: DecisionExtras, outcome: Outcome) {
  if (input.args !== undefined && approval.kind !== "tool") {
    throw new InvalidRequestError("invalid decision", [{ path: "args", message: "only a tool approval takes args" }]);
  }
  if (input.extendCents !== undefined && approval.kind !== "budget") {
    throw new InvalidRequestError("invalid decision", [
      { path: "extend_cents", message: "only a budget approval takes extend_cents" },
    ]);
  }
  if (approval.kind === "budget" && outcome === "approved" && input.extendCents === undefined) {
    throw new InvalidRequestError("invalid decision", [
      { path: "extend_cents", message: "expected the amount (US cents) to add to the agent's budget" },
    ]);
  }
  return {
    ...(input.args !== undefined && outcome === "approved" ? { decidedArgs: input.args as object } : {}),
    ...(input.extendCents !== undefined && outcome === "approved"
      ? { extendCents: new Prisma.Decimal(input.extendCents) }
      : {}),
  };
}

/**
 * Record the decision. A waiting run moves to `queued` (`requeued`: the caller enqueues its resume);
 * a run already queued or running (another of its approvals was decided first) takes this decision
 * when it gets there, so it is recorded without a second resume.
 */
async function resolveApproval(
  prisma: PrismaClient,
  input: Resolve,
  outcome: Outcome,
): Promise<Approval & { requeued: boolean }> {
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ status: string; graph_snapshot: unknown }[]>`
      SELECT status::text AS status, graph_snapshot FROM workflow_runs WHERE id = ${input.runId}::uuid FOR UPDATE`;
    const run = locked[0];
    if (!run) throw new NotFoundError(`run ${input.runId} does not exist`);
    const approval = await tx.approval.findUnique({
      where: { runId_approvalKey: { runId: input.runId, approvalKey: input.approvalKey } },
    });
    if (!approval) throw noApproval(input, run);
    if (approval.status !== "pending") {
      const by = approval.decidedBy ? ` by ${approval.decidedBy}` : "";
      throw new ConflictError(`the approval at ${input.nodeId} was already decided (${approval.status}${by})`);
    }
    const open = run.status === "queued" || run.status === "running";
    if (run.status !== "waiting" && !open) throw new ConflictError(`run ${input.runId} is ${run.status}, not waiting`);
    const extras = extrasFor(approval, input, outcome);
    const now = new Date();
    if (!open) {
      await requeueWaitingRun(tx, input.runId, {
        waitedMs: Math.max(0, now.getTime() - approval.requestedAt.getTime()),
        jobId: resumeJobId(approval.id),
      });
    }
    const decided = await tx.approval.update({
      where: { id: approval.id },
      data: { status: outcome, decidedAt: now, decidedBy: input.decidedBy, comment: input.comment ?? null, ...extras },
    });
    return { ...decided, requeued: !open };
  });
}

/** Decide an approval by its id: a gate, an agent's tool call (optionally with edited args) or its budget. */
export async function decideApprovalById(
  deps: { prisma: PrismaClient; queue: Pick<JobQueue, "enqueue"> },
  input: DecideByIdInput,
) {
  const outcome: Outcome = input.decision === "approve" ? "approved" : "rejected";
  const found = await deps.prisma.approval.findUnique({ where: { id: input.approvalId } });
  if (!found) throw new NotFoundError(`approval ${input.approvalId} does not exist`);
  const locator = { runId: found.runId as Uuid, nodeId: found.nodeId, approvalKey: found.approvalKey };
  const approval = await resolveApproval(deps.prisma, { ...input, ...locator }, outcome);
  if (approval.requeued) await enqueueResume(deps, approval);
  await audit(deps.prisma, {
    action: "approval.decide",
    targetType: "run",
    targetId: found.runId,
    details: { node_id: found.nodeId, approval_id: found.id, kind: found.kind, decision: outcome },
  });
  return deps.prisma.workflowRun.findUniqueOrThrow({ where: { id: found.runId } });
}

/** No approval row: an unknown node is a 404; an approval node the run has not reached is a 409. */
function noApproval(input: { runId: string; nodeId: string }, run: { status: string; graph_snapshot: unknown }) {
  const nodes = (run.graph_snapshot as { nodes?: { id?: unknown; type?: unknown }[] } | null)?.nodes ?? [];
  const node = nodes.find((n) => n.id === input.nodeId);
  if (!node) return new NotFoundError(`run ${input.runId} has no node ${input.nodeId}`);
  if (node.type !== "approval")
    return new NotFoundError(`node ${input.nodeId} of run ${input.runId} is not an approval`);
  return new ConflictError(`run ${input.runId} is ${run.status}, not waiting at ${input.nodeId}`);
}

const pendingWhere = (runId?: string) => ({
  status: "pending" as const,
  run: { status: "waiting" as const },
  ...(runId ? { runId } : {}),
});

/** Pending approvals across runs (or one run's), oldest first, with their workflow. */
export function listPendingApprovals(deps: { prisma: PrismaClient }, filter: { runId?: string; limit?: number } = {}) {
  return deps.prisma.approval.findMany({
    where: pendingWhere(filter.runId),
    include: { run: { select: { id: true, workflowId: true, workflow: { select: { id: true, name: true } } } } },
    orderBy: [{ requestedAt: "asc" }, { id: "asc" }],
    take: Math.min(filter.limit ?? 500, 500),
  });
}

/** The same list with a GraphQL field selection (Pothos' `query`) instead of the REST shape. */
export function selectPendingApprovals<Q extends { include?: unknown; select?: unknown }>(
  deps: { prisma: PrismaClient },
  filter: { runId?: string },
  query: Q,
) {
  return deps.prisma.approval.findMany({
    ...(query as object),
    where: pendingWhere(filter.runId),
    orderBy: [{ requestedAt: "asc" }, { id: "asc" }],
    take: 500,
  });
}

export type PendingApproval = Awaited<ReturnType<typeof listPendingApprovals>>[number];

/**
 * Resolve the approvals whose deadline has passed, by their `onTimeout` policy: approve or reject
 * as "timeout", or fail the step (`timed_out`). Scheduled on the queue, so it runs once across
 * workers; a decision that lands first simply wins. Returns the approvals resolved.
 */
export async function resolveExpiredApprovals(
  deps: { prisma: PrismaClient; queue: Pick<JobQueue, "enqueue"> },
  options: { now?: Date } = {},
): Promise<string[]> {
  const now = options.now ?? new Date();
  const due = await deps.prisma.approval.findMany({
    where: { status: "pending", deadline: { lte: now }, run: { status: "waiting" } },
    orderBy: { deadline: "asc" },
    take: 1_000,
  });
  const resolved: string[] = [];
  for (const a of due) {
    const outcome: Outcome =
      a.onTimeout === "approve" ? "approved" : a.onTimeout === "reject" ? "rejected" : "timed_out";
    const waited = Math.round((now.getTime() - a.requestedAt.getTime()) / 1000);
    const decided = await resolveApproval(
      deps.prisma,
      {
        runId: a.runId as Uuid,
        nodeId: a.nodeId,
        approvalKey: a.approvalKey,
        decidedBy: "timeout",
        comment: `no decision within ${waited} s`,
      },
      outcome,
    ).catch((error) => (error instanceof ConflictError ? null : Promise.reject(error)));
    if (!decided) continue;
    if (decided.requeued) await enqueueResume(deps, decided);
    resolved.push(decided.id);
  }
  return resolved;
}

/** A canceled run's open approvals are closed (they can no longer be decided). */
export async function cancelPendingApprovals(deps: { prisma: PrismaClient }, runId: string) {
  await deps.prisma.approval.updateMany({
    where: { runId, status: "pending" },
    data: { status: "canceled", decidedAt: new Date(), decidedBy: "cancel" },
  });
}
