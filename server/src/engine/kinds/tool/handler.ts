/** One tool step: render arguments, validate them, run the tool with retries on transient errors. */
import { isMcpToolConfig } from "@flowtrace/contract/workflow";

import { Cents } from "../../../domain/pricing/money.ts";
import { backoffDelay, DEFAULT_RETRY } from "../../../domain/providers/retry-policy.ts";
import { toStorable } from "../../../domain/storable-json.ts";
import type { ToolNode } from "../../../domain/workflow/schema.ts";
import { renderValue, type TemplateContext } from "../../../domain/workflow/templates.ts";
import { resolveTool } from "../../../domain/workflow/tool-catalog.ts";
import { issueMessage } from "../../../domain/zod-issues.ts";
import { findTool, toolCatalog } from "../../../tools/registry.ts";
import { ToolError } from "../../../tools/types.ts";
import { replayed } from "../../replay.ts";
import type { StepContext, StepResult } from "../../step-context.ts";
import type { NodeHandler } from "../types.ts";
import { invokeTool } from "./invoke.ts";
import { runMcpToolStep } from "./mcp-step.ts";

export const toolHandler: NodeHandler<ToolNode> = {
  async run(node, input, ctx) {
    const result = isMcpToolConfig(node.config)
      ? await runMcpToolStep(node, input.tctx, ctx)
      : await runToolStep(node, input.tctx, ctx);
    return { result, edgeScope: { ...input.scope, output: toStorable(result.output) } };
  },
};

export async function runToolStep(node: ToolNode, tctx: TemplateContext, ctx: StepContext): Promise<StepResult> {
  const resolved = resolveTool(toolCatalog, node);
  if (!resolved.ok) throw new ToolError(resolved.message);
  const tool = findTool(resolved.tool.name);
  if (!tool) throw new ToolError(`tool ${resolved.tool.name} is not installed`);
  const rendered = renderValue(resolved.args, tctx);
  const parsed = tool.argsSchema.safeParse(rendered);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ToolError(
      `${tool.name} arguments: ${issue?.path.join(".") ?? ""} ${issue ? issueMessage(issue) : ""}`.trim(),
    );
  }
  if (ctx.replay) {
    const output = replayed(ctx, node.id, { kind: "tool", tool: tool.name, args: parsed.data });
    ctx.recorder.emit("replay.hit", ctx.stepId, { nodeId: node.id, sourceRunId: ctx.replay.sourceRunId, kind: "tool" });
    return { output, tokensInput: 0, tokensOutput: 0, cost: Cents.ZERO, cached: false };
  }
  for (let attempt = 1; ; attempt++) {
    ctx.recorder.emit("tool.request", ctx.stepId, { tool: tool.name, args: parsed.data, attempt });
    const started = performance.now();
    try {
      const output = await invokeTool(tool, parsed.data, ctx);
      ctx.recorder.emit("tool.response", ctx.stepId, {
        tool: tool.name,
        output,
        latencyMs: Math.round(performance.now() - started),
        attempt,
      });
      return { output, tokensInput: 0, tokensOutput: 0, cost: Cents.ZERO, cached: false };
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
      const transient = error instanceof ToolError && error.transient;
      const willRetry = transient && attempt <= DEFAULT_RETRY.attempts;
      const delayMs = willRetry ? backoffDelay(DEFAULT_RETRY, attempt, undefined, ctx.random) : null;
      ctx.recorder.emit("retry", ctx.stepId, {
        tool: tool.name,
        attempt,
        message: error instanceof Error ? error.message : String(error),
        willRetry,
        delayMs,
      });
      if (!willRetry) throw error;
      await ctx.sleep(delayMs ?? 0, ctx.signal);
    }
  }
}
