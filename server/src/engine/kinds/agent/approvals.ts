/**
 * An agent's approvals, stored like an approval node's (services/approvals.ts decides them; the run
 * waits `waiting` with no worker, and survives restarts):
 * - a tool call marked `requireApproval`: the person sees the tool and its arguments, may edit
 *   them, approves (the call runs with theirs) or rejects (the model is told, with the comment);
 * - the step's cost budget used up with `onExceeded: "pause"`: the person extends it by an amount
 *   (the loop goes on) or stops it (the step fails).
 * Each approval has a key unique within the run, so a resumed step finds the same one again.
 */
import type { Approval } from "../../../db/prisma.ts";
import { Cents } from "../../../domain/pricing/money.ts";
import type { ToolCall } from "../../../providers/types.ts";
import { LimitExceededError } from "../../budget.ts";
import { CanceledError, WaitingForApprovalError } from "../../run-errors.ts";
import { recordResolved } from "../approval/handler.ts";
import type { Loop } from "./loop.ts";

interface NewApproval {
  key: string;
  kind: "tool" | "budget";
  message: string;
  inputs: Record<string, unknown>;
  tool?: string;
  args?: Record<string, unknown>;
  spentCents?: string;
  limitCents?: string;
}

/** The run's approval under this key, created (once, whoever gets there first) if new. */
async function ensure(loop: Loop, a: NewApproval): Promise<Approval> {
  const { ctx, node } = loop;
  const where = { runId_approvalKey: { runId: ctx.runId, approvalKey: a.key } };
  const existing = await ctx.prisma.approval.findUnique({ where });
  if (existing) return existing;
  await ctx.prisma.approval.createMany({
    data: {
      runId: ctx.runId,
      stepId: ctx.stepId,
      nodeId: node.id,
      approvalKey: a.key,
      kind: a.kind,
      message: a.message,
      inputs: a.inputs as object,
      ...(a.tool ? { tool: a.tool } : {}),
      ...(a.args ? { args: a.args as object } : {}),
      ...(a.spentCents ? { spentCents: a.spentCents, limitCents: a.limitCents ?? null } : {}),
    },
    skipDuplicates: true,
  });
  return ctx.prisma.approval.findUniqueOrThrow({ where });
}

/** The conversation's last turns, as the approver sees them beside a tool call. */
const recentTurns = (loop: Loop) => loop.messages.slice(-6);

export function toolApprovalOf(loop: Loop, call: ToolCall, tool: string, args: Record<string, unknown>) {
  return ensure(loop, {
    key: `${loop.node.id}:tool:${call.id}`,
    kind: "tool",
    message: `Allow ${call.name} (${tool}) with these arguments?`,
    inputs: { tool, name: call.name, args, conversation: recentTurns(loop) },
    tool,
    args,
  });
}

export type ToolVerdict = { run: true; args: Record<string, unknown> } | { run: false; problem: string };

/** What a decided tool approval says; throws while it is pending (the run waits) or was canceled. */
export async function toolVerdict(
  loop: Loop,
  approval: Approval,
  proposed: Record<string, unknown>,
): Promise<ToolVerdict> {
  if (approval.status === "pending") throw new WaitingForApprovalError(approval);
  if (approval.status === "canceled") throw new CanceledError("run canceled while a tool call waited for approval");
  await recordResolved(approval, loop.ctx);
  if (approval.status === "approved")
    return { run: true, args: (approval.decidedArgs as Record<string, unknown> | null) ?? proposed };
  const by = approval.decidedBy ? ` by ${approval.decidedBy}` : "";
  return { run: false, problem: `this call was rejected${by}${approval.comment ? `: ${approval.comment}` : ""}` };
}

/**
 * The step's cost limit: its budget plus every extension approved so far (each extension's
 * `approval.resolved` recorded once, when the step first goes on with it).
 */
async function costLimit(loop: Loop, base: number): Promise<{ limit: Cents; granted: number }> {
  const approved = await loop.ctx.prisma.approval.findMany({
    where: { runId: loop.ctx.runId, nodeId: loop.node.id, kind: "budget", status: "approved" },
    orderBy: { requestedAt: "asc" },
  });
  for (const a of approved) await recordResolved(a, loop.ctx);
  const limit = approved.reduce(
    (sum, a) => sum.add(Cents.parse(a.extendCents?.toString() ?? "0")),
    Cents.parse(String(base)),
  );
  return { limit, granted: approved.length };
}

/** With `onExceeded: "pause"`, a used-up cost budget asks a person to extend it (or stop the step). */
export async function pauseForBudget(loop: Loop, spent: Cents, base: number): Promise<void> {
  const { limit, granted } = await costLimit(loop, base);
  if (spent.compare(limit) < 0) return;
  const approval = await ensure(loop, {
    key: `${loop.node.id}:budget:${granted + 1}`,
    kind: "budget",
    message: `The agent has spent ${spent} of its ${limit} cents budget: extend it to go on?`,
    inputs: { spent_cents: spent.toString(), limit_cents: limit.toString(), conversation: recentTurns(loop) },
    spentCents: spent.toString(),
    limitCents: limit.toString(),
  });
  if (approval.status === "pending") throw new WaitingForApprovalError(approval);
  if (approval.status === "canceled")
    throw new CanceledError("run canceled while the agent's budget waited for approval");
  await recordResolved(approval, loop.ctx);
  if (approval.status !== "approved") {
    const by = approval.decidedBy ? ` by ${approval.decidedBy}` : "";
    throw new LimitExceededError(
      "cost",
      `the agent's budget of ${limit} cents is used up and was not extended (stopped${by})`,
    );
  }
}
