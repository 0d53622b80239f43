/**
 * A tool node that calls an MCP server's tool: arguments rendered, checked against the tool's input
 * schema, the call traced as `tool.request`/`tool.response` with `mcp: {server, tool}`. A replay
 * answers from the recording; a resumed step whose call was already answered takes that answer (a
 * recorded call is never repeated); an error result fails the step with the server's text.
 */
import { type McpToolConfig, mcpToolConfigSchema } from "@flowtrace/contract/workflow";
import { canonicalJson } from "../../../domain/canonical-json.ts";
import { Cents } from "../../../domain/pricing/money.ts";
import type { ToolNode } from "../../../domain/workflow/schema.ts";
import { renderValue, type TemplateContext } from "../../../domain/workflow/templates.ts";
import { mcpErrorText, mcpOutput } from "../../../mcp/results.ts";
import { ToolError } from "../../../tools/types.ts";
import { prepareMcpCall } from "../../mcp-calls.ts";
import { replayed } from "../../replay.ts";
import type { StepContext, StepResult } from "../../step-context.ts";

const done = (output: unknown): StepResult => ({
  output,
  tokensInput: 0,
  tokensOutput: 0,
  cost: Cents.ZERO,
  cached: false,
});

/** The answer this step already recorded for the same call (a resumed step), if any. */
async function recordedAnswer(ctx: StepContext, tool: string, args: Record<string, unknown>) {
  if (!ctx.resuming) return undefined;
  const events = await ctx.prisma.traceEvent.findMany({
    where: { stepId: ctx.stepId, kind: { in: ["tool.request", "tool.response"] } },
    orderBy: { seq: "asc" },
  });
  const key = canonicalJson(args);
  let asked = false;
  for (const e of events) {
    const p = e.payload as { tool?: string; args?: unknown; output?: unknown; isError?: boolean };
    if (e.kind === "tool.request") asked = p.tool === tool && canonicalJson(p.args ?? {}) === key;
    else if (asked && p.tool === tool && !p.isError) return { output: p.output };
  }
  return undefined;
}

async function call(ctx: StepContext, cfg: McpToolConfig, label: string, args: Record<string, unknown>) {
  const mcp = { server: cfg.mcp, tool: cfg.tool };
  const prepared = await prepareMcpCall(ctx, cfg.mcp, cfg.tool, args);
  ctx.recorder.emit("tool.request", ctx.stepId, { tool: label, args, attempt: 1, mcp });
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const result = await prepared.send();
    const output = result.isError ? { error: mcpErrorText(result) } : mcpOutput(result);
    const error = result.isError ? { isError: true } : {};
    ctx.recorder.emit("tool.response", ctx.stepId, {
      tool: label,
      output,
      latencyMs: latency(),
      attempt: 1,
      mcp,
      ...error,
    });
    if (result.isError) throw new ToolError(`${label}: ${mcpErrorText(result)}`);
    return output;
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
    throw error;
  }
}

export async function runMcpToolStep(node: ToolNode, tctx: TemplateContext, ctx: StepContext): Promise<StepResult> {
  const cfg = mcpToolConfigSchema.parse(node.config);
  const args = renderValue(cfg.args ?? {}, tctx) as Record<string, unknown>;
  const label = `mcp:${cfg.mcp}/${cfg.tool}`;
  if (ctx.replay) {
    const output = replayed(ctx, node.id, { kind: "tool", tool: label, args });
    ctx.recorder.emit("replay.hit", ctx.stepId, { nodeId: node.id, sourceRunId: ctx.replay.sourceRunId, kind: "tool" });
    return done(output);
  }
  const recorded = await recordedAnswer(ctx, label, args);
  if (recorded) return done(recorded.output);
  return done(await call(ctx, cfg, label, args));
}
