/**
 * A sub-workflow's child run: found by the step that started it (and, for an agent's tool call,
 * the call's id, kept as the child's tag `tool_call:<id>`) — one per call, whatever crashed in
 * between — or created from the called workflow of the same project, its pinned version or the
 * latest. `runChildCall` executes it here, inline, and answers with its outcome: the output of its
 * last step with its tokens and cost, or a waiting child (the step waits too), or why it failed.
 */
import type { WorkflowRun } from "../../../db/prisma.ts";
import { Cents } from "../../../domain/pricing/money.ts";
import { isFinalRun } from "../../../domain/run-status.ts";
import type { CallableWorkflow } from "../../../domain/workflow/agent-tools.ts";
import { workflowInputSchema } from "../../../domain/workflow/tool-schema.ts";
import { validateWorkflow } from "../../../domain/workflow/validate.ts";
import { toolCatalog } from "../../../tools/registry.ts";
import { ToolError } from "../../../tools/types.ts";
import { WaitingForChildError } from "../../run-errors.ts";
import type { StepContext, StepResult } from "../../step-context.ts";

export interface ChildCall {
  workflowId: string;
  version: number | undefined;
  inputs: Record<string, unknown>;
  /** An agent's tool call (several children per step); absent for a workflow node (one). */
  callId?: string;
}

const callTag = (callId: string) => `tool_call:${callId}`;

export async function childRunFor(
  ctx: StepContext,
  call: ChildCall,
): Promise<{ child: WorkflowRun; created: boolean }> {
  const tag = call.callId ? { tags: { has: callTag(call.callId) } } : {};
  const found = await ctx.prisma.workflowRun.findFirst({
    where: { parentRunId: ctx.runId, parentStepId: ctx.stepId, ...tag },
  });
  if (found) return { child: found, created: false };
  const { workflowId, version } = call;
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
      tags: call.callId ? [callTag(call.callId)] : [],
      inputVars: call.inputs as object,
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

/** Execute the child (started or resumed) and answer with its result; a waiting child parks the step. */
export async function executeChild(ctx: StepContext, child: WorkflowRun): Promise<StepResult> {
  const status = isFinalRun(child.status) ? child.status : await ctx.runChild(child.id);
  if (status === "waiting") throw new WaitingForChildError(child.id);
  const outcome = await childOutcome(ctx, child.id);
  if (!outcome.ok) {
    throw new ToolError(`sub-workflow run ${child.id} ${outcome.status}: ${outcome.error ?? "no reason given"}`);
  }
  return outcome.result;
}

/** An agent's workflow tool call: the child's output (its cost is not the agent step's own). */
export async function runChildCall(ctx: StepContext, call: ChildCall): Promise<unknown> {
  const { child } = await childRunFor(ctx, call);
  return (await executeChild(ctx, child)).output;
}

/** A workflow of the run's project as an agent's tool: its name, description and input schema. */
export async function callableWorkflow(ctx: StepContext, workflowId: string): Promise<CallableWorkflow | undefined> {
  const row = await ctx.prisma.workflow.findFirst({ where: { id: workflowId, projectId: ctx.projectId } });
  if (!row) return undefined;
  const checked = validateWorkflow(row.graphJson, { tools: toolCatalog });
  const description = row.description?.trim() || `Runs the workflow "${row.name}" and returns its output.`;
  const inputSchema = checked.ok ? workflowInputSchema(checked.workflow) : { type: "object" };
  return { name: row.name, description, inputSchema };
}

/** What the sub-workflow runs a step started cost together (null cost when one is unpriced). */
export async function childTotals(ctx: StepContext) {
  const children = await ctx.prisma.workflowRun.findMany({
    where: { parentRunId: ctx.runId, parentStepId: ctx.stepId },
    select: { id: true, totalCostCents: true, costComplete: true },
  });
  const ids = children.map((c) => c.id);
  const tokens = ids.length
    ? await ctx.prisma.runStep.aggregate({
        where: { runId: { in: ids } },
        _sum: { tokensInput: true, tokensOutput: true, tokensReasoning: true },
      })
    : { _sum: { tokensInput: 0, tokensOutput: 0, tokensReasoning: 0 } };
  const complete = children.every((c) => c.costComplete);
  return {
    tokensInput: tokens._sum.tokensInput ?? 0,
    tokensOutput: tokens._sum.tokensOutput ?? 0,
    tokensReasoning: tokens._sum.tokensReasoning ?? 0,
    cost: complete ? Cents.sum(children.map((c) => Cents.parse(c.totalCostCents.toString()))) : null,
  };
}
