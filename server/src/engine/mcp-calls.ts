/**
 * A step's calls to its project's MCP servers (a tool node's, an agent's): the server found by name
 * in the run's project, its env and headers filled with the project's secrets, its tools as it
 * announces them, arguments checked against the tool's input schema before the call, one timeout
 * per call, and the result (or the error) scrubbed of secret values before anyone records it.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { AnnouncedTool } from "../domain/workflow/agent-tools.ts";
import type { McpTarget } from "../mcp/connections.ts";
import { targetOf } from "../mcp/targets.ts";
import { ToolError } from "../tools/types.ts";
import { checkJsonSchema } from "./scoring.ts";
import type { StepContext } from "./step-context.ts";

async function targetFor(ctx: StepContext, server: string): Promise<McpTarget> {
  const mcp = ctx.mcp;
  if (!mcp) throw new ToolError(`MCP server ${server}: this worker has no MCP support configured`);
  const row = await ctx.prisma.mcpServer.findUnique({
    where: { projectId_name: { projectId: ctx.projectId, name: server } },
  });
  if (!row) throw new ToolError(`MCP server ${server} is not registered in this project (POST /api/mcp-servers)`);
  if (row.transport === "stdio" && !mcp.stdio) {
    throw new ToolError(`MCP server ${server} runs over stdio, which FLOWTRACE_MCP_STDIO=off disables here`);
  }
  return targetOf(row, mcp.keyring, ctx.secrets);
}

/** The tools a server announces (asked once per connection). */
export async function announcedTools(ctx: StepContext, server: string): Promise<AnnouncedTool[]> {
  const target = await targetFor(ctx, server);
  try {
    return await (ctx.mcp?.connections.listTools(target, { timeoutMs: ctx.mcp.callTimeoutMs, signal: ctx.signal }) ??
      []);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
    throw new ToolError(ctx.secrets.scrub(error instanceof Error ? error : new Error(String(error))).message);
  }
}

/** Why the arguments do not fit the tool's input schema, or null. */
export function mcpArgsProblem(schema: Record<string, unknown>, args: Record<string, unknown>): string | null {
  const problems = checkJsonSchema(schema, args);
  return problems.length === 0 ? null : `invalid arguments: ${problems.slice(0, 5).join("; ")}`;
}

/**
 * A call made ready: the server reached and the arguments checked against the tool's announced
 * schema (a ToolError says what is wrong, before anything is sent); `send` makes it.
 */
export async function prepareMcpCall(
  ctx: StepContext,
  server: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<{ send(): Promise<CallToolResult> }> {
  const target = await targetFor(ctx, server);
  const known = (await announcedTools(ctx, server)).find((t) => t.name === tool);
  if (!known) throw new ToolError(`MCP server ${server} has no tool ${tool}`);
  const problem = mcpArgsProblem(known.inputSchema, args);
  if (problem) throw new ToolError(`mcp:${server}/${tool}: ${problem}`);
  const mcp = ctx.mcp as NonNullable<StepContext["mcp"]>;
  return {
    async send() {
      try {
        const options = { timeoutMs: mcp.callTimeoutMs, signal: ctx.signal };
        return ctx.secrets.scrub(await mcp.connections.callTool(target, tool, args, options));
      } catch (error) {
        if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
        throw new ToolError(ctx.secrets.scrub(error instanceof Error ? error : new Error(String(error))).message);
      }
    },
  };
}

/** Call one tool: its arguments checked against what the server announced, then sent. */
export async function callMcpTool(
  ctx: StepContext,
  server: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await prepareMcpCall(ctx, server, tool, args)).send();
}
