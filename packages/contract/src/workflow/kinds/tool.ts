/**
 * The `tool` node kind in the document: a catalog tool run with (templated) arguments, or — with
 * `mcp` — a tool of one of the project's MCP servers.
 */
import { z } from "zod";
import { mcpServerName } from "../../mcp.ts";
import { nodeSchemaOf } from "../node-base.ts";

/** Tool config is interpreted through the tool registry: `{tool, args}` or the tool's args inline; or `{mcp, tool, args}`. */
export const toolConfigSchema = z.record(z.string(), z.json());

export const toolNodeSchema = nodeSchemaOf("tool", toolConfigSchema);

export type ToolNode = z.infer<typeof toolNodeSchema>;

/** A tool node that calls an MCP server's tool: `{"mcp": "fs", "tool": "read_text_file", "args": {…}}`. */
export const mcpToolConfigSchema = z.strictObject({
  mcp: mcpServerName.describe("The project's MCP server (POST /api/mcp-servers)."),
  tool: z.string().min(1).max(200).describe("The server's tool."),
  args: z.record(z.string(), z.json()).optional().describe("Its arguments (templates allowed)."),
});

export type McpToolConfig = z.infer<typeof mcpToolConfigSchema>;

export const isMcpToolConfig = (config: Record<string, unknown>): boolean => "mcp" in config;
