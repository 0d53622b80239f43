/**
 * What the validator needs to know about tools: names, aliases and argument schemas.
 * The implementations (with I/O) live in server/src/tools and register these specs.
 */
import type { z } from "zod";

export interface ToolSpec {
  name: string;
  /** Node names that select this tool when config.tool is absent (e.g. the spec's "FetchDocs"). */
  aliases: readonly string[];
  description: string;
  // biome-ignore lint/suspicious/noExplicitAny: any zod object shape
  argsSchema: z.ZodObject<any>;
}

export interface ToolCatalog {
  list(): readonly ToolSpec[];
  /** By name or alias, case-insensitively. */
  find(nameOrAlias: string): ToolSpec | undefined;
}

export function createToolCatalog(specs: readonly ToolSpec[]): ToolCatalog {
  const index = new Map<string, ToolSpec>();
  for (const spec of specs) {
    for (const key of [spec.name, ...spec.aliases]) index.set(key.toLowerCase(), spec);
  }
  return { list: () => specs, find: (n) => index.get(n.toLowerCase()) };
}

export type ToolResolution =
  | { ok: true; tool: ToolSpec; args: Record<string, unknown>; argsPath: string[] }
  | { ok: false; path: string[]; message: string };

/**
 * Which tool a tool node runs, and with which arguments:
 * `config: {tool: "http.fetch", args: {url}}`, `config: {tool: "http.fetch", url}` or, as in the
 * spec's example, no `tool` key and a node name that is a tool alias (`"name": "FetchDocs"`).
 */
export function resolveTool(
  catalog: ToolCatalog,
  node: { name: string; config: Record<string, unknown> },
): ToolResolution {
  const { tool, args, ...rest } = node.config;
  const available = catalog
    .list()
    .map((t) => t.name)
    .join(", ");
  let spec: ToolSpec | undefined;
  if (tool !== undefined) {
    if (typeof tool !== "string") return { ok: false, path: ["config", "tool"], message: "expected a tool name" };
    spec = catalog.find(tool);
    if (!spec)
      return { ok: false, path: ["config", "tool"], message: `unknown tool '${tool}' (available: ${available})` };
  } else {
    spec = catalog.find(node.name);
    if (!spec) {
      return {
        ok: false,
        path: ["config"],
        message: `cannot tell which tool node '${node.name}' runs: set config.tool to one of ${available}`,
      };
    }
  }
  if (args !== undefined) {
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
      return { ok: false, path: ["config", "args"], message: "expected an object of tool arguments" };
    }
    if (Object.keys(rest).length > 0) {
      return {
        ok: false,
        path: ["config", Object.keys(rest)[0] ?? ""],
        message: "put tool arguments either in config.args or directly in config, not both",
      };
    }
    return { ok: true, tool: spec, args: args as Record<string, unknown>, argsPath: ["config", "args"] };
  }
  return { ok: true, tool: spec, args: rest, argsPath: ["config"] };
}
