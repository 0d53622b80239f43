/**
 * An agent's tools as a model sees them: each catalog entry's exposed name (vendor-safe), its
 * description, and the JSON Schema of the arguments the model may give — the catalog's zod schema
 * less the arguments the workflow fixes. Pure: the engine sends these; the validator checks them.
 */
import { type AgentTool, exposedToolName } from "@flowtrace/contract/workflow";
import { z } from "zod";
import type { ToolCatalog, ToolSpec } from "./tool-catalog.ts";

export interface ExposedTool {
  /** The name the model sees and calls. */
  name: string;
  /** The catalog's tool it runs. */
  spec: ToolSpec;
  description: string;
  /** The JSON Schema of the arguments the model gives. */
  parameters: Record<string, unknown>;
  /** Arguments the workflow fixes (merged over the model's). */
  fixed: Record<string, unknown>;
  requireApproval: boolean;
}

/** The JSON Schema of a tool's arguments as the model gives them (the fixed ones removed). */
export function toolParameters(spec: ToolSpec, fixed: Record<string, unknown>): Record<string, unknown> {
  const open = Object.fromEntries(Object.keys(fixed).map((k) => [k, true])) as Record<string, true>;
  const schema = Object.keys(open).length ? spec.argsSchema.omit(open) : spec.argsSchema;
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const { $schema: _drop, ...rest } = json;
  return rest;
}

/** The agent's tools as exposed, or the first entry whose catalog tool is unknown (its index). */
export function exposeTools(entries: readonly AgentTool[], catalog: ToolCatalog): ExposedTool[] | { unknown: number } {
  const out: ExposedTool[] = [];
  for (const [i, entry] of entries.entries()) {
    const spec = catalog.find(entry.tool);
    if (!spec) return { unknown: i };
    const fixed = (entry.args ?? {}) as Record<string, unknown>;
    out.push({
      name: exposedToolName(entry),
      spec,
      description: entry.description ?? spec.description,
      parameters: toolParameters(spec, fixed),
      fixed,
      requireApproval: entry.requireApproval === true,
    });
  }
  return out;
}
