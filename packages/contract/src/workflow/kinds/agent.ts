/**
 * The `agent` node kind in the document: a model that calls tools in a loop (native tool calling on
 * both vendors) until it answers, optionally with a structured (JSON Schema) answer and a budget.
 */
import { z } from "zod";
import { mcpServerName } from "../../mcp.ts";
import { cacheSchema, modelName, nodeSchemaOf, providerName, providerRefSchema, retrySchema } from "../node-base.ts";
import { codeConfigSchema } from "./code.ts";
import { structuredOutputSchema, TOOL_NAME_PATTERN } from "./structured-output.ts";

export { structuredOutputSchema, TOOL_NAME_PATTERN } from "./structured-output.ts";

/** One tool an agent may call: a catalog entry, optionally renamed, described, with fixed arguments. */
export const builtinAgentToolSchema = z.strictObject({
  tool: z
    .string()
    .min(1, { message: "expected a tool name from the catalog" })
    .describe("The catalog's tool (http.fetch, csv.parse, transform)."),
  name: z
    .string()
    .regex(TOOL_NAME_PATTERN, {
      message: "expected a name of letters, digits, _ or - (at most 64), as vendors require",
    })
    .optional()
    .describe("The name the model sees (default: the tool's name with other characters as _, e.g. http_fetch)."),
  description: z
    .string()
    .max(1024)
    .optional()
    .describe("What the model is told the tool does (default: the catalog's)."),
  args: z
    .record(z.string(), z.json())
    .optional()
    .describe("Arguments fixed by the workflow: the model does not see them and cannot override them."),
  requireApproval: z.boolean().optional().describe("A person approves each call before it runs."),
});

const toolName = z
  .string()
  .regex(TOOL_NAME_PATTERN, { message: "expected a name of letters, digits, _ or - (at most 64), as vendors require" });
const shared = {
  description: z.string().max(1024).optional().describe("What the model is told the tool does."),
  requireApproval: z.boolean().optional().describe("A person approves each call before it runs."),
};

/** A project MCP server's tool (`tool`), or all of its tools (`tools: "*"`). */
export const mcpAgentToolSchema = z
  .strictObject({
    mcp: mcpServerName.describe("The project's MCP server."),
    tool: z.string().min(1).max(200).optional().describe("One of its tools."),
    tools: z.literal("*", { message: 'expected "*" (every tool of the server)' }).optional(),
    name: toolName.optional().describe("The name the model sees (default: <server>_<tool>); with `tool` only."),
    args: z.record(z.string(), z.json()).optional().describe("Arguments fixed by the workflow (with `tool` only)."),
    ...shared,
  })
  .superRefine((e, ctx) => {
    if ((e.tool === undefined) === (e.tools === undefined)) {
      ctx.addIssue({ code: "custom", path: ["tool"], message: 'expected either "tool" (one tool) or "tools": "*"' });
    }
    if (e.tools !== undefined && (e.name !== undefined || e.args !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["name"], message: 'name and args apply to one tool: use "tool"' });
    }
  });

/** Sandboxed JavaScript as a tool: the model's arguments are its `input`. */
export const codeAgentToolSchema = z.strictObject({
  code: codeConfigSchema,
  name: toolName.describe("The name the model sees."),
  argsSchema: z
    .record(z.string(), z.json())
    .optional()
    .describe("The JSON Schema (an object schema) of the arguments the model gives; default: any object."),
  ...shared,
});

/** Another workflow of the project as a tool: its declared inputs are the arguments, its output the result. */
export const workflowAgentToolSchema = z.strictObject({
  workflow: z.uuid({ message: "expected the id of a workflow of this project" }),
  version: z.int().min(1).optional().describe("A version of it (default: the latest when called)."),
  name: toolName.optional().describe("The name the model sees (default: the workflow's name)."),
  ...shared,
});

const ENTRY_MESSAGE =
  'expected a tool entry: {"tool": …} (built-in), {"mcp": …, "tool": …} or {"mcp": …, "tools": "*"}, {"code": {…}, "name": …}, or {"workflow": "<id>"}';

export const agentToolSchema = z.union(
  [mcpAgentToolSchema, codeAgentToolSchema, workflowAgentToolSchema, builtinAgentToolSchema],
  {
    error: (issue) => (issue.code === "invalid_union" ? { message: ENTRY_MESSAGE } : undefined),
  },
);

export const agentBudgetSchema = z.strictObject({
  maxCostCents: z.number().positive().optional().describe("This step's cost limit in US cents."),
  maxTokens: z.int().min(1).optional().describe("This step's token limit."),
  onExceeded: z
    .enum(["fail", "pause"], { message: "expected fail or pause" })
    .default("fail")
    .describe("fail: the step fails; pause: the run waits for a person to extend the budget or stop."),
});

export const agentConfigSchema = z.strictObject({
  provider: providerName.describe("openai, anthropic, or a configured OpenAI-compatible provider name."),
  model: modelName,
  system: z.string().max(100_000).optional(),
  prompt: z.string().max(200_000).optional().describe("Template; defaults to the node's rendered inputs."),
  tools: z.array(agentToolSchema).max(64, { message: "expected at most 64 tools" }).default([]),
  maxIterations: z.int().min(1).max(100).default(8).describe("Model calls at most; then the step fails."),
  toolChoice: z.enum(["auto", "required", "none"], { message: "expected auto, required or none" }).default("auto"),
  parallelToolCalls: z.boolean().default(true).describe("Several tool calls per answer run at once."),
  output: structuredOutputSchema.optional(),
  budget: agentBudgetSchema.optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.int().min(1).max(1_000_000).optional().describe("Each model call's answer cap."),
  timeoutMs: z.int().min(100).max(600_000).optional().describe("Each model call's timeout."),
  retry: retrySchema.optional(),
  fallbacks: z.array(providerRefSchema).max(5).optional(),
  cache: cacheSchema.optional().describe("Exact-match cache per model call; on unless false."),
});

export const agentNodeSchema = nodeSchemaOf("agent", agentConfigSchema);

export type AgentNode = z.infer<typeof agentNodeSchema>;
export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type AgentTool = z.infer<typeof agentToolSchema>;
export type BuiltinAgentTool = z.infer<typeof builtinAgentToolSchema>;
export type McpAgentTool = z.infer<typeof mcpAgentToolSchema>;
export type CodeAgentTool = z.infer<typeof codeAgentToolSchema>;
export type WorkflowAgentTool = z.infer<typeof workflowAgentToolSchema>;

const vendorSafe = (name: string) => name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);

/** The name a model sees for a catalog tool entry: its own, or the catalog name made vendor-safe (http.fetch → http_fetch). */
export function exposedToolName(entry: { tool: string; name?: string | undefined }): string {
  return entry.name ?? vendorSafe(entry.tool);
}

/** The name a model sees for one MCP tool: the entry's own, or `<server>_<tool>` made vendor-safe. */
export const exposedMcpToolName = (server: string, tool: string, name?: string) =>
  name ?? vendorSafe(`${server}_${tool}`);

export const isMcpEntry = (e: AgentTool): e is McpAgentTool => "mcp" in e;
export const isCodeEntry = (e: AgentTool): e is CodeAgentTool => "code" in e;
export const isWorkflowEntry = (e: AgentTool): e is WorkflowAgentTool => "workflow" in e;
export const isBuiltinEntry = (e: AgentTool): e is BuiltinAgentTool =>
  !isMcpEntry(e) && !isCodeEntry(e) && !isWorkflowEntry(e);
