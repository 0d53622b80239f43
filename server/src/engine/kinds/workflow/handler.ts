/**
 * The `workflow` node kind's handler: a sub-workflow. The step starts a run of the called workflow
 * (`triggered_by: "workflow"`, linked by parent_run_id and parent_step_id; the version pinned or
 * the latest, recorded on the child) and executes it here, inline — so a chain of sub-workflows
 * never waits for a free worker. The child's output is the step's, its tokens and cost count in
 * this run's (an unpriced child leaves this step's cost unknown). A child that waits for a person
 * parks this step too; a resumed step finds its child and resumes it, never starting another.
 * The call is traced as `tool.request`/`tool.response` (tool `workflow:<id>`), so a replay answers
 * it from the recording without running the child.
 */
import type { WorkflowNodeDoc } from "@flowtrace/contract/workflow";
import { Cents } from "../../../domain/pricing/money.ts";
import { toStorable } from "../../../domain/storable-json.ts";
import { renderValue, type TemplateContext } from "../../../domain/workflow/templates.ts";
import { replayed } from "../../replay.ts";
import type { StepContext, StepResult } from "../../step-context.ts";
import type { NodeHandler } from "../types.ts";
import { childRunFor, executeChild } from "./child.ts";

async function runChildStep(node: WorkflowNodeDoc, tctx: TemplateContext, ctx: StepContext): Promise<StepResult> {
  const inputs = renderValue(node.config.inputs ?? {}, tctx) as Record<string, unknown>;
  const tool = `workflow:${node.config.workflow}`;
  if (ctx.replay) {
    const output = replayed(ctx, node.id, { kind: "tool", tool, args: inputs });
    ctx.recorder.emit("replay.hit", ctx.stepId, { nodeId: node.id, sourceRunId: ctx.replay.sourceRunId, kind: "tool" });
    return { output, tokensInput: 0, tokensOutput: 0, cost: Cents.ZERO, cached: false };
  }
  const call = { workflowId: node.config.workflow, version: node.config.version, inputs };
  const { child, created } = await childRunFor(ctx, call);
  if (created) ctx.recorder.emit("tool.request", ctx.stepId, { tool, args: inputs, attempt: 1 });
  const started = performance.now();
  const result = await executeChild(ctx, child);
  const latencyMs = Math.round(performance.now() - started);
  ctx.recorder.emit("tool.response", ctx.stepId, { tool, output: result.output, latencyMs, attempt: 1 });
  return result;
}

export const workflowHandler: NodeHandler<WorkflowNodeDoc> = {
  async run(node, input, ctx) {
    const result = await runChildStep(node, input.tctx, ctx);
    return { result, edgeScope: { ...input.scope, output: toStorable(result.output) } };
  },
};
