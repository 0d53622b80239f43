/** Validation of the `tool` node kind: a known tool and its arguments. Its schema is in @flowtrace/contract/workflow. */
import { SECRET_PLACEHOLDER } from "@flowtrace/contract/secrets";
import { isMcpToolConfig, mcpToolConfigSchema, type ToolNode } from "@flowtrace/contract/workflow";
import { issueMessage } from "../../zod-issues.ts";
import type { NodeCheck } from "../node-check.ts";
import { hasTemplate, scanValue } from "../templates.ts";
import { resolveTool } from "../tool-catalog.ts";

/** The one place a workflow may name a project secret in a tool's arguments: http.fetch's headers. */
export const takesSecrets = (tool: string, arg: string) => tool === "http.fetch" && arg === "headers";

/** A known tool; arguments checked against its schema now, those holding templates at run time. */
/** An MCP tool node: its config's shape, a server of the project (when known here), templates in its args. */
function checkMcpToolNode(node: ToolNode, c: NodeCheck): void {
  const parsed = mcpToolConfigSchema.safeParse(node.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) c.add(c.at("config", ...issue.path), issueMessage(issue));
    return;
  }
  const { mcp, args } = parsed.data;
  if (c.ctx.mcpServers && !c.ctx.mcpServers.includes(mcp)) {
    const known = c.ctx.mcpServers.join(", ") || "none registered";
    c.add(c.at("config", "mcp"), `unknown MCP server '${mcp}' in this project (known: ${known})`);
  }
  scanValue(args ?? {}, (text, p) => {
    if (hasTemplate(text)) c.templates(text, c.at("config", "args", ...p));
  });
}

export function checkToolNode(node: ToolNode, c: NodeCheck): void {
  if (isMcpToolConfig(node.config)) {
    checkMcpToolNode(node, c);
    return;
  }
  const resolved = resolveTool(c.ctx.tools, node);
  if (!resolved.ok) {
    c.add(c.at(...resolved.path), resolved.message);
    return;
  }
  const templated: Record<string, true> = {};
  const concrete: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resolved.args)) {
    let dynamic = false;
    const secretsAllowed = takesSecrets(resolved.tool.name, k);
    scanValue(v, (raw, p) => {
      const text = secretsAllowed ? raw.replace(SECRET_PLACEHOLDER, "") : raw;
      if (!hasTemplate(text)) return;
      dynamic = true;
      c.templates(text, c.at(...resolved.argsPath, k, ...p));
    });
    // A templated argument the tool does not take stays in: the schema names it as unrecognized.
    if (dynamic && k in resolved.tool.argsSchema.shape) templated[k] = true;
    else concrete[k] = v;
  }
  const schema =
    Object.keys(templated).length > 0 ? resolved.tool.argsSchema.partial(templated) : resolved.tool.argsSchema;
  const r = schema.safeParse(concrete);
  if (r.success) return;
  for (const issue of r.error.issues) {
    c.add(c.at(...resolved.argsPath, ...issue.path), `${resolved.tool.name}: ${issueMessage(issue)}`);
  }
}
