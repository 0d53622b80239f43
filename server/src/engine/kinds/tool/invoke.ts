/**
 * Running one catalog tool for a step (a tool node, or an agent's tool call): the step's
 * cancellation, fetch allow-list, trace context and secrets go in; what the tool returns or throws
 * comes back with the run's secret values scrubbed out, before anything records or shows it.
 */
import { formatTraceParent, stepSpanId } from "../../../observability/trace-context.ts";
import type { Tool, ToolRunContext } from "../../../tools/types.ts";
import type { StepContext } from "../../step-context.ts";

export function toolRunContext(ctx: StepContext): ToolRunContext {
  return {
    signal: ctx.signal,
    fetchAllow: ctx.fetchAllow,
    secrets: ctx.secrets,
    ...(ctx.trace
      ? {
          traceparent: formatTraceParent({
            traceId: ctx.trace.traceId,
            spanId: stepSpanId(ctx.stepId),
            flags: ctx.trace.flags,
          }),
        }
      : {}),
  };
}

export async function invokeTool(tool: Tool, args: Record<string, unknown>, ctx: StepContext): Promise<unknown> {
  try {
    return ctx.secrets.scrub(await tool.run(args, toolRunContext(ctx)));
  } catch (error) {
    throw ctx.secrets.scrub(error);
  }
}
