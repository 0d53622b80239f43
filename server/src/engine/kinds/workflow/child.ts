/**
 * A sub-workflow step's child run: found by the step that started it (one per step, whatever
 * crashed in between), or created from the called workflow of the same project — its pinned
 * version or the latest — and queued to be executed inline by the calling step. Its outcome: the
 * output of its last step, and its tokens and cost.
 */
import type { WorkflowNodeDoc } from "@flowtrace/contract/workflow";
import type { WorkflowRun } from "../../../db/prisma.ts";
import { Cents } from "../../../domain/pricing/money.ts";
import { ToolError } from "../../../tools/types.ts";
import type { StepContext, StepResult } from "../../step-context.ts";

export async function childRunOf(
  node: WorkflowNodeDoc,
  inputs: Record<string, unknown>,
  ctx: StepContext,
): Promise<{ child: WorkflowRun; created: boolean }> {
  const found = await ctx.prisma.workflowRun.findFirst({ where: { parentRunId: ctx.runId, parentStepId: ctx.stepId } });
  if (found) return { child: found, created: false };
  const { workflow: workflowId, version } = node.config;
  const workflow = await ctx.prisma.workflow.findFirst({ where: { id: workflowId, projectId: ctx.projectId } });
  if (!workflow) throw new ToolError(`workflow ${workflowId} does not exist in this project`);
  const pinned = version
    ? await ctx.prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId, version } } })
    : null;
  if (version && !pinned) throw new ToolError(`workflow ${workflow.name} has no version ${version}`);
  const child = await ctx.prisma.workflowRun.create({
    data: {
      workflowId,
      triggeredBy: "workflow",
      parentRunId: ctx.runId,
      parentStepId: ctx.stepId,
      inputVars: inputs as object,
      graphSnapshot: (pinned?.graphJson ?? workflow.graphJson) as object,
      workflowVersion: pinned?.version ?? workflow.version,
    },
  });
  return { child, created: true };
}

type Outcome = { ok: true; result: StepResult } | { ok: false; status: string; error: string | null };

export async function childOutcome(ctx: StepContext, childId: string): Promise<Outcome> {
  const child = await ctx.prisma.workflowRun.findUniqueOrThrow({ where: { id: childId } });
  if (child.status !== "succeeded") return { ok: false, status: child.status, error: child.errorSummary };
  const last = await ctx.prisma.runStep.findFirst({
    where: { runId: childId, status: "succeeded" },
    orderBy: [{ finishedAt: "desc" }, { nodeId: "desc" }],
    select: { output: true },
  });
  const tokens = await ctx.prisma.runStep.aggregate({
    where: { runId: childId },
    _sum: { tokensInput: true, tokensOutput: true, tokensReasoning: true },
  });
  const result: StepResult = {
    output: last?.output ?? null,
    tokensInput: tokens._sum.tokensInput ?? 0,
    tokensOutput: tokens._sum.tokensOutput ?? 0,
    tokensReasoning: tokens._sum.tokensReasoning ?? 0,
    // An unpriced step in the child leaves this one's cost unknown (the run's is then a lower bound).
    cost: child.costComplete ? Cents.parse(child.totalCostCents.toString()) : null,
    cached: false,
  };
  return { ok: true, result };
}
