/**
 * Validation of the `agent` node kind: providers and templates as for `llm`, tools that exist in
 * the catalog with distinct exposed names and fixed arguments they take, and an answer schema a
 * vendor accepts (an object schema). Its schema is in @flowtrace/contract/workflow.
 */
import { secretRefs } from "@flowtrace/contract/secrets";
import { type AgentNode, exposedToolName } from "@flowtrace/contract/workflow";
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

function checkToolEntries(node: AgentNode, c: NodeCheck): Set<string> {
  const names = new Set<string>();
  const available = c.ctx.tools
    .list()
    .map((t) => t.name)
    .join(", ");
  for (const [i, entry] of node.config.tools.entries()) {
    const spec = c.ctx.tools.find(entry.tool);
    if (!spec) {
      c.add(c.at("config", "tools", i, "tool"), `unknown tool '${entry.tool}' (available: ${available})`);
      continue;
    }
    const name = exposedToolName(entry);
    if (names.has(name)) {
      c.add(
        c.at("config", "tools", i, "name"),
        `the model would see two tools named '${name}': give this one another name`,
      );
    }
    names.add(name);
    for (const [key, value] of Object.entries(entry.args ?? {})) {
      if (!(key in spec.argsSchema.shape)) {
        c.add(c.at("config", "tools", i, "args", key), `${spec.name} takes no argument '${key}'`);
      }
      if (!takesSecrets(spec.name, key)) refuseSecrets(value, c.at("config", "tools", i, "args", key), c);
    }
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
