/**
 * Validation of the `agent` node kind: providers and templates as for `llm`, tools that exist in
 * the catalog with distinct exposed names and fixed arguments they take, and an answer schema a
 * vendor accepts (an object schema). Its schema is in @flowtrace/contract/workflow.
 */
import { secretRefs } from "@flowtrace/contract/secrets";
import {
  type AgentNode,
  type BuiltinAgentTool,
  type CodeAgentTool,
  exposedMcpToolName,
  exposedToolName,
  isCodeEntry,
  isMcpEntry,
  isWorkflowEntry,
  type McpAgentTool,
} from "@flowtrace/contract/workflow";
import type { NodeCheck } from "../node-check.ts";
import { scanValue } from "../templates.ts";
import { checkCallSettings } from "./llm.ts";
import { takesSecrets } from "./tool.ts";

/** A `{{secret.…}}` where secrets are not filled (only http.fetch headers take them). */
function refuseSecrets(value: unknown, at: PropertyKey[], c: NodeCheck) {
  scanValue(value, (text, p) => {
    if (secretRefs(text).length > 0) {
      c.add([...at, ...p], "secrets can be used only in http.fetch headers and MCP server env and headers");
    }
  });
}

const ANSWER_TOOL = "answer";

function checkBuiltinEntry(entry: BuiltinAgentTool, at: PropertyKey[], c: NodeCheck): string | null {
  const spec = c.ctx.tools.find(entry.tool);
  if (!spec) {
    const available = c.ctx.tools
      .list()
      .map((t) => t.name)
      .join(", ");
    c.add([...at, "tool"], `unknown tool '${entry.tool}' (available: ${available})`);
    return null;
  }
  for (const [key, value] of Object.entries(entry.args ?? {})) {
    if (!(key in spec.argsSchema.shape)) c.add([...at, "args", key], `${spec.name} takes no argument '${key}'`);
    if (!takesSecrets(spec.name, key)) refuseSecrets(value, [...at, "args", key], c);
  }
  return exposedToolName(entry);
}

function checkMcpEntry(entry: McpAgentTool, at: PropertyKey[], c: NodeCheck): string | null {
  if (c.ctx.mcpServers && !c.ctx.mcpServers.includes(entry.mcp)) {
    const known = c.ctx.mcpServers.join(", ") || "none registered";
    c.add([...at, "mcp"], `unknown MCP server '${entry.mcp}' in this project (known: ${known})`);
  }
  refuseSecrets(entry.args ?? {}, [...at, "args"], c);
  return entry.tool === undefined ? null : exposedMcpToolName(entry.mcp, entry.tool, entry.name);
}

function checkCodeEntry(entry: CodeAgentTool, at: PropertyKey[], c: NodeCheck): string {
  if (entry.argsSchema && entry.argsSchema.type !== "object") {
    c.add([...at, "argsSchema", "type"], 'expected "object": a tool takes an object of arguments');
  }
  return entry.name;
}

/** Each entry's rules; the names the model would see must differ (MCP `tools: "*"` is checked when the step runs). */
function checkToolEntries(node: AgentNode, c: NodeCheck): Set<string> {
  const names = new Set<string>();
  for (const [i, entry] of node.config.tools.entries()) {
    const at = c.at("config", "tools", i);
    const name = isWorkflowEntry(entry)
      ? (entry.name ?? null)
      : isMcpEntry(entry)
        ? checkMcpEntry(entry, at, c)
        : isCodeEntry(entry)
          ? checkCodeEntry(entry, at, c)
          : checkBuiltinEntry(entry, at, c);
    if (name === null) continue;
    if (names.has(name))
      c.add([...at, "name"], `the model would see two tools named '${name}': give this one another name`);
    names.add(name);
  }
  return names;
}

function checkOutput(node: AgentNode, names: Set<string>, c: NodeCheck) {
  const output = node.config.output;
  if (!output) return;
  if (output.schema.type !== "object") {
    c.add(c.at("config", "output", "schema", "type"), 'expected "object": vendors take an object schema for answers');
  }
  const name = output.name ?? ANSWER_TOOL;
  if (names.has(name)) {
    c.add(c.at("config", "output", "name"), `'${name}' is also a tool's name: name the answer differently`);
  }
}

export function checkAgentNode(node: AgentNode, c: NodeCheck): void {
  checkCallSettings(node, c);
  const names = checkToolEntries(node, c);
  checkOutput(node, names, c);
  if (node.config.toolChoice === "required" && node.config.tools.length === 0) {
    c.add(c.at("config", "toolChoice"), '"required" needs at least one tool');
  }
}
