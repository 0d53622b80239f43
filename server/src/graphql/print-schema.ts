/**
 * Writes the generated files for outside consumers from their one source: schema.graphql from the
 * code-first Pothos schema; docs/workflow.schema.json from the workflow document's zod schema; and
 * docs/trace-events.schema.json and docs/trace-events.md from the trace contract. The dashboard and
 * the CLI need no copies: they import the zod contracts from packages/contract. Tests fail when any
 * file is stale (server/test/repo/).
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { canonicalJsonPretty } from "../domain/canonical-json.ts";
import { traceEventsJsonSchema } from "../domain/trace/payloads.ts";
import { renderTraceEventsReference } from "../domain/trace/reference.ts";
import { workflowJsonSchema } from "../domain/workflow/schema.ts";
import { schema } from "./schema/index.ts";

const file = (relative: string) => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

export const SCHEMA_FILE = file("schema.graphql");
export const WORKFLOW_SCHEMA_FILE = file("docs/workflow.schema.json");
export const TRACE_SCHEMA_FILE = file("docs/trace-events.schema.json");
export const TRACE_REFERENCE_FILE = file("docs/trace-events.md");

export function renderSchema(): string {
  return `# Generated from the Pothos schema by \`npm run schema:print\`. Do not edit.\n\n${printSchema(schema)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(SCHEMA_FILE, renderSchema());
  await writeFile(WORKFLOW_SCHEMA_FILE, canonicalJsonPretty(workflowJsonSchema()));
  await writeFile(TRACE_SCHEMA_FILE, canonicalJsonPretty(traceEventsJsonSchema()));
  await writeFile(TRACE_REFERENCE_FILE, renderTraceEventsReference());
  console.log("wrote schema.graphql, docs/workflow.schema.json, docs/trace-events.{schema.json,md}");
}
