/**
 * A workflow as a tool (an MCP tool, a parent workflow's agent tool): its name as vendors accept
 * it, and the JSON Schema of its arguments — its declared `inputs`, or, when it declares none, every
 * `{{input.<name>}}` its nodes read (as required values of any type). Pure.
 */
import type { Workflow } from "@flowtrace/contract/workflow";
import { scanTemplate, scanValue } from "./templates.ts";

/** The run inputs a document reads through `{{input.<name>}}`, in order of first use. */
export function inputsRead(doc: Workflow): string[] {
  const names = new Set<string>();
  scanValue(doc.nodes, (text) => {
    for (const ref of scanTemplate(text).refs) if (ref.kind === "input") names.add(ref.name);
  });
  return [...names];
}

export function workflowInputSchema(doc: Workflow): Record<string, unknown> {
  const declared = doc.inputs;
  if (declared && Object.keys(declared).length > 0) {
    const properties = Object.fromEntries(
      Object.entries(declared).map(([name, d]) => [
        name,
        { type: d.type, ...(d.description ? { description: d.description } : {}) },
      ]),
    );
    const required = Object.entries(declared)
      .filter(([, d]) => d.required)
      .map(([name]) => name);
    return { type: "object", properties, required };
  }
  const read = inputsRead(doc);
  return { type: "object", properties: Object.fromEntries(read.map((n) => [n, {}])), required: read };
}

/** A workflow's name as a tool name (letters, digits, _ and -; at most 64). */
export const workflowToolName = (name: string) =>
  name
    .trim()
    .replace(/[^a-zA-Z0-9_-]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 64) || "workflow";
