/**
 * One approval step. The first time the run reaches the node, the approval is stored (message
 * rendered, inputs, deadline) and the step stops with WaitingForApprovalError: the executor parks
 * the run as `waiting` and its job ends. A decision (services/approvals.ts) enqueues the run again;
 * LangGraph resumes from the checkpoint, so only this node runs again — it finds the decision and
 * finishes with it, setting `branch` for its outbound edges. Nothing before the gate runs twice.
 */
import type { Approval } from "../../../db/prisma.ts";
import { Cents } from "../../../domain/pricing/money.ts";
import type { ApprovalNode } from "../../../domain/workflow/schema.ts";
import { renderString, type TemplateContext } from "../../../domain/workflow/templates.ts";
import { ApprovalTimedOutError, CanceledError, WaitingForApprovalError } from "../../run-errors.ts";
import type { StepContext, StepResult } from "../../step-context.ts";
import type { NodeHandler } from "../types.ts";

export type ApprovalBranch = "approved" | "rejected";

type Ctx = Pick<StepContext, "prisma" | "recorder" | "runId" | "stepId">;

export const approvalHandler: NodeHandler<ApprovalNode> = {
  async run(node, input, ctx) {
    const decided = await runApprovalStep(node, input.inputs, input.tctx, ctx);
    return {
      result: decided.result,
      edgeScope: { ...input.scope, output: decided.result.output, branch: decided.branch },
    };
  },
};

export async function runApprovalStep(
  node: ApprovalNode,
  inputs: Record<string, unknown>,
  tctx: TemplateContext,
  ctx: Ctx,
): Promise<{ result: StepResult; branch: ApprovalBranch }> {
  const approval = await ensureApproval(node, inputs, tctx, ctx);
  switch (approval.status) {
    case "pending":
      throw new WaitingForApprovalError(approval);
    case "canceled":
      throw new CanceledError("run canceled while waiting for approval");
    case "timed_out":
      await recordResolved(approval, ctx);
      throw new ApprovalTimedOutError(
        `approval at ${node.id} timed out after ${node.config.timeoutSeconds ?? 0} s (onTimeout: fail)`,
      );
    case "approved":
    case "rejected":
      await recordResolved(approval, ctx);
      return { result: decisionResult(approval), branch: approval.status };
  }
}

/** The step's output: the decision, as edges and later templates read it. */
function decisionResult(approval: Approval): StepResult {
  return {
    output: {
      decision: approval.status,
      comment: approval.comment,
      decided_at: approval.decidedAt?.toISOString() ?? null,
      decided_by: approval.decidedBy,
    },
    tokensInput: 0,
    tokensOutput: 0,
    cost: Cents.ZERO,
    cached: false,
  };
}

/** The stored approval of this run's node, created (once, whoever gets there first) if new. */
async function ensureApproval(
  node: ApprovalNode,
  inputs: Record<string, unknown>,
  tctx: TemplateContext,
  ctx: Ctx,
): Promise<Approval> {
  const where = { runId_approvalKey: { runId: ctx.runId, approvalKey: node.id } };
  const existing = await ctx.prisma.approval.findUnique({ where });
  if (existing) return existing;
  const timeout = node.config.timeoutSeconds;
  const requestedAt = new Date();
  await ctx.prisma.approval.createMany({
    data: {
      runId: ctx.runId,
      stepId: ctx.stepId,
      nodeId: node.id,
      approvalKey: node.id,
      message: renderString(node.config.message, tctx),
      inputs: inputs as object,
      requestedAt,
      deadline: timeout === undefined ? null : new Date(requestedAt.getTime() + timeout * 1000),
      onTimeout: node.config.onTimeout ?? "fail",
    },
    skipDuplicates: true,
  });
  return ctx.prisma.approval.findUniqueOrThrow({ where });
}

/** Whether the step's trace already holds this event of this approval (a resumed step records it once). */
async function recorded(ctx: Ctx, kind: "approval.requested" | "approval.resolved", approvalId: string) {
  const mine = (payload: unknown) => (payload as { approvalId?: unknown } | null)?.approvalId === approvalId;
  if (ctx.recorder.emitted.some((e) => e.stepId === ctx.stepId && e.kind === kind && mine(e.payload))) return true;
  const stored = await ctx.prisma.traceEvent.findFirst({
    where: { runId: ctx.runId, stepId: ctx.stepId, kind, payload: { path: ["approvalId"], equals: approvalId } },
  });
  return stored !== null;
}

/** What an agent's approval adds to its events: its kind and the tool call or the budget it is about. */
function kindFields(approval: Approval) {
  if (approval.kind === "tool") return { kind: "tool" as const, tool: approval.tool ?? "", args: approval.args ?? {} };
  if (approval.kind === "budget") {
    return {
      kind: "budget" as const,
      spentCents: approval.spentCents?.toString() ?? "0",
      limitCents: approval.limitCents?.toString() ?? "0",
    };
  }
  return {};
}

/** `approval.requested`, once per approval, flushed before the run is parked. */
export async function recordRequested(approval: Approval, ctx: Ctx) {
  if (await recorded(ctx, "approval.requested", approval.id)) return;
  ctx.recorder.emit("approval.requested", ctx.stepId, {
    ...kindFields(approval),
    nodeId: approval.nodeId,
    approvalId: approval.id,
    message: approval.message,
    inputs: approval.inputs as Record<string, unknown>,
    deadline: approval.deadline?.toISOString() ?? null,
    onTimeout: approval.onTimeout as "reject" | "approve" | "fail",
  });
  await ctx.recorder.flush();
}

export async function recordResolved(approval: Approval, ctx: Ctx) {
  if (await recorded(ctx, "approval.resolved", approval.id)) return;
  const decidedAt = approval.decidedAt ?? new Date();
  ctx.recorder.emit("approval.resolved", ctx.stepId, {
    nodeId: approval.nodeId,
    approvalId: approval.id,
    decision: approval.status as "approved" | "rejected" | "timed_out",
    comment: approval.comment,
    decidedBy: approval.decidedBy ?? "unknown",
    decidedAt: decidedAt.toISOString(),
    waitedMs: Math.max(0, decidedAt.getTime() - approval.requestedAt.getTime()),
    ...(approval.decidedArgs ? { args: approval.decidedArgs } : {}),
    ...(approval.extendCents ? { extendCents: approval.extendCents.toString() } : {}),
  });
}
