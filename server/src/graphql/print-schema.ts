/**
 * Writes schema.graphql at the repository root from the code-first Pothos schema, and
 * docs/workflow.schema.json from the workflow document's zod schema.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { canonicalJsonPretty } from "../domain/canonical-json.ts";
import { workflowJsonSchema } from "../domain/workflow/schema.ts";
import { schema } from "./schema/index.ts";

export const SCHEMA_FILE = fileURLToPath(new URL("../../../schema.graphql", import.meta.url));
export const WORKFLOW_SCHEMA_FILE = fileURLToPath(new URL("../../../docs/workflow.schema.json", import.meta.url));

export function renderSchema(): string {
  return `# Generated from the Pothos schema by \`npm run schema:print\`. Do not edit.\n\n${printSchema(schema)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(SCHEMA_FILE, renderSchema());
  await writeFile(WORKFLOW_SCHEMA_FILE, canonicalJsonPretty(workflowJsonSchema()));
  console.log(`wrote ${SCHEMA_FILE} and ${WORKFLOW_SCHEMA_FILE}`);
}
