/**
 * Where an agent's tool call runs, by the exposed tool's source: a catalog tool (its zod schema
 * checks the arguments), an MCP server's tool (the schema it announced), or sandboxed code (the
 * entry's argsSchema). A failure comes back as an error result for the model, never a thrown step
 * error — except a cancellation.
 */

import type { ExposedTool } from "../../../domain/workflow/agent-tools.ts";
import { issueMessage } from "../../../domain/zod-issues.ts";
import { mcpErrorText, mcpOutput } from "../../../mcp/results.ts";
import { findTool } from "../../../tools/registry.ts";
import { callMcpTool, mcpArgsProblem } from "../../mcp-calls.ts";
import { WaitingForChildError } from "../../run-errors.ts";
import type { StepContext } from "../../step-context.ts";
import { runCode } from "../code/handler.ts";
import { invokeTool } from "../tool/invoke.ts";
import { runChildCall } from "../workflow/child.ts";
import type { RecordedResult } from "./journal.ts";

export type Checked = { ok: true; args: Record<string, unknown> } | { ok: false; problem: string };

/** The call's arguments (the model's with the workflow's fixed ones over them) checked against the tool's schema. */
export function checkArgs(tool: ExposedTool, merged: Record<string, unknown>): Checked {
  if (tool.source.kind !== "builtin") {
    // mcp, code and workflow tools: their JSON Schema
    const problem = mcpArgsProblem(tool.schema, merged);
    return problem ? { ok: false, problem } : { ok: true, args: merged };
  }
  const parsed = tool.source.spec.argsSchema.safeParse(merged);
  if (parsed.success) return { ok: true, args: parsed.data as Record<string, unknown> };
  const issue = parsed.error.issues[0];
  const where = issue?.path.join(".") || "(arguments)";
  return { ok: false, problem: `invalid arguments: ${where}: ${issue ? issueMessage(issue) : ""}` };
}

/** What the trace records besides the tool's name: the MCP server and tool of an MCP call. */
export const sourceFields = (tool: ExposedTool) =>
  tool.source.kind === "mcp" ? { mcp: { server: tool.source.server, tool: tool.source.tool } } : {};

async function runSource(
  tool: ExposedTool,
  args: Record<string, unknown>,
  ctx: StepContext,
  nodeId: string,
  callId: string,
) {
  const source = tool.source;
  if (source.kind === "mcp") {
    const result = await callMcpTool(ctx, source.server, source.tool, args);
    return result.isError
      ? { output: { error: mcpErrorText(result) }, isError: true }
      : { output: mcpOutput(result), isError: false };
  }
  if (source.kind === "workflow") {
    const spec = { workflowId: source.workflowId, version: source.version, inputs: args, callId };
    return { output: await runChildCall(ctx, spec), isError: false };
  }
  if (source.kind === "code") {
    const output = await runCode(source.config, { input: args, inputs: args, node: {} }, ctx, `${nodeId}/${tool.name}`);
    return { output, isError: false };
  }
  const impl = findTool(source.spec.name);
  if (!impl) return { output: { error: `tool ${source.spec.name} is not installed` }, isError: true };
  return { output: await invokeTool(impl, args, ctx), isError: false };
}

export async function runExposed(
  tool: ExposedTool,
  args: Record<string, unknown>,
  ctx: StepContext,
  ids: { nodeId: string; callId: string },
): Promise<RecordedResult> {
  try {
    return await runSource(tool, args, ctx, ids.nodeId, ids.callId);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
    if (error instanceof WaitingForChildError) throw error;
    return { output: { error: error instanceof Error ? error.message : String(error) }, isError: true };
  }
}
