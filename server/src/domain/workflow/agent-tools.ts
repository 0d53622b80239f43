/**
 * An agent's tools as a model sees them: each entry's exposed name (vendor-safe), its description,
 * the JSON Schema of the arguments the model may give (the tool's schema less the arguments the
 * workflow fixes), and where it runs — a catalog tool, an MCP server's tool (its schema as the
 * server announced it), or sandboxed code. Pure: the engine hands in the MCP servers' tools it
 * discovered, sends these, and runs the calls.
 */
import {
  type AgentTool,
  type BuiltinAgentTool,
  type CodeConfig,
  exposedMcpToolName,
  exposedToolName,
  isCodeEntry,
  isMcpEntry,
  isWorkflowEntry,
  type WorkflowAgentTool,
} from "@flowtrace/contract/workflow";
import { z } from "zod";
import type { ToolCatalog, ToolSpec } from "./tool-catalog.ts";
import { workflowToolName } from "./tool-schema.ts";

export type ToolSource =
  | { kind: "builtin"; spec: ToolSpec }
  | { kind: "mcp"; server: string; tool: string }
  | { kind: "code"; config: CodeConfig }
  | { kind: "workflow"; workflowId: string; version: number | undefined };

export interface ExposedTool {
  /** The name the model sees and calls. */
  name: string;
  /** The name the trace records: `http.fetch`, `mcp:fs/read_text_file`, `code:<name>`. */
  traceName: string;
  source: ToolSource;
  description: string;
  /** The JSON Schema of the arguments the model gives. */
  parameters: Record<string, unknown>;
  /** The JSON Schema of all the tool's arguments (mcp and code tools: what the call is checked against). */
  schema: Record<string, unknown>;
  /** Arguments the workflow fixes (merged over the model's). */
  fixed: Record<string, unknown>;
  requireApproval: boolean;
}

/** A discovered MCP tool, as the engine hands it in. */
export interface AnnouncedTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

const ANY_OBJECT = { type: "object", additionalProperties: true };

/** The JSON Schema of a catalog tool's arguments as the model gives them (the fixed ones removed). */
export function toolParameters(spec: ToolSpec, fixed: Record<string, unknown>): Record<string, unknown> {
  const open = Object.fromEntries(Object.keys(fixed).map((k) => [k, true])) as Record<string, true>;
  const schema = Object.keys(open).length ? spec.argsSchema.omit(open) : spec.argsSchema;
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const { $schema: _drop, ...rest } = json;
  return rest;
}

/** A schema without its `$schema` (vendors take the schema's body only). */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _drop, ...rest } = schema;
  return rest;
}

/** A JSON object schema without the properties the workflow fixes. */
export function withoutFixed(schema: Record<string, unknown>, fixed: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(fixed);
  if (keys.length === 0) return schema;
  const properties = Object.fromEntries(
    Object.entries((schema.properties ?? {}) as Record<string, unknown>).filter(([k]) => !keys.includes(k)),
  );
  const required = Array.isArray(schema.required) ? schema.required.filter((k) => !keys.includes(String(k))) : [];
  return { ...schema, properties, required };
}

export type Exposed = ExposedTool[] | { problem: string; index: number };

function builtinTools(entry: BuiltinAgentTool, catalog: ToolCatalog): ExposedTool | null {
  const spec = catalog.find(entry.tool);
  if (!spec) return null;
  const fixed = (entry.args ?? {}) as Record<string, unknown>;
  const schema = toolParameters(spec, {});
  return {
    name: exposedToolName(entry),
    traceName: spec.name,
    source: { kind: "builtin", spec },
    description: entry.description ?? spec.description,
    parameters: toolParameters(spec, fixed),
    schema,
    fixed,
    requireApproval: entry.requireApproval === true,
  };
}

function mcpTools(
  entry: Extract<AgentTool, { mcp: string }>,
  announced: readonly AnnouncedTool[],
): ExposedTool[] | string {
  const picked = entry.tools === "*" ? announced : announced.filter((t) => t.name === entry.tool);
  if (picked.length === 0) {
    const names = announced.map((t) => t.name).join(", ") || "none";
    return `MCP server ${entry.mcp} has no tool ${entry.tool} (it has: ${names})`;
  }
  const fixed = (entry.args ?? {}) as Record<string, unknown>;
  return picked.map((t) => ({
    name: exposedMcpToolName(entry.mcp, t.name, entry.name),
    traceName: `mcp:${entry.mcp}/${t.name}`,
    source: { kind: "mcp", server: entry.mcp, tool: t.name },
    description: entry.description ?? t.description,
    parameters: withoutFixed(withoutDialect(t.inputSchema), fixed),
    schema: t.inputSchema,
    fixed,
    requireApproval: entry.requireApproval === true,
  }));
}

function codeTool(entry: Extract<AgentTool, { code: CodeConfig }>): ExposedTool {
  const schema = (entry.argsSchema as Record<string, unknown> | undefined) ?? ANY_OBJECT;
  return {
    name: entry.name,
    traceName: `code:${entry.name}`,
    source: { kind: "code", config: entry.code },
    description: entry.description ?? `Runs the workflow's ${entry.name} code with the arguments as input.`,
    parameters: schema,
    schema,
    fixed: {},
    requireApproval: entry.requireApproval === true,
  };
}

/** A workflow of the project as a tool: what the engine read of it (its name, description, input schema). */
export interface CallableWorkflow {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

function workflowTool(entry: WorkflowAgentTool, found: CallableWorkflow | undefined): ExposedTool | string {
  if (!found) return `workflow ${entry.workflow} does not exist in this project`;
  return {
    name: entry.name ?? workflowToolName(found.name),
    traceName: `workflow:${entry.workflow}`,
    source: { kind: "workflow", workflowId: entry.workflow, version: entry.version },
    description: entry.description ?? found.description,
    parameters: found.inputSchema,
    schema: found.inputSchema,
    fixed: {},
    requireApproval: entry.requireApproval === true,
  };
}

/** The agent's tools as exposed, or the first entry that cannot be (its index and why). */
export function exposeTools(
  entries: readonly AgentTool[],
  catalog: ToolCatalog,
  announced: ReadonlyMap<string, readonly AnnouncedTool[]> = new Map(),
  workflows: ReadonlyMap<string, CallableWorkflow> = new Map(),
): Exposed {
  const out: ExposedTool[] = [];
  for (const [index, entry] of entries.entries()) {
    if (isWorkflowEntry(entry)) {
      const tool = workflowTool(entry, workflows.get(entry.workflow));
      if (typeof tool === "string") return { problem: tool, index };
      out.push(tool);
    } else if (isCodeEntry(entry)) out.push(codeTool(entry));
    else if (isMcpEntry(entry)) {
      const tools = mcpTools(entry, announced.get(entry.mcp) ?? []);
      if (typeof tools === "string") return { problem: tools, index };
      out.push(...tools);
    } else {
      const tool = builtinTools(entry, catalog);
      if (!tool) return { problem: `unknown tool ${entry.tool}`, index };
      out.push(tool);
    }
  }
  const seen = new Set<string>();
  for (const [index, t] of out.entries()) {
    if (seen.has(t.name)) return { problem: `two tools would be named ${t.name}: rename one (name)`, index };
    seen.add(t.name);
  }
  return out;
}
