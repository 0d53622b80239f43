/** The built-in tools, as a catalog for validation and a lookup for execution. */
import { createToolCatalog, type ToolCatalog } from "../domain/workflow/tool-catalog.ts";
import { csvTool } from "./csv.ts";
import { httpFetchTool } from "./http-fetch.ts";
import { transformTool } from "./transform.ts";
import type { Tool } from "./types.ts";

export const BUILTIN_TOOLS: readonly Tool[] = [httpFetchTool, csvTool, transformTool];

export const toolCatalog: ToolCatalog = createToolCatalog(BUILTIN_TOOLS);

export function findTool(nameOrAlias: string): Tool | undefined {
  const spec = toolCatalog.find(nameOrAlias);
  return spec ? BUILTIN_TOOLS.find((t) => t.name === spec.name) : undefined;
}
