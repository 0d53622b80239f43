/** Writes schema.graphql at the repository root from the code-first Pothos schema. */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { schema } from "./schema/index.ts";

export const SCHEMA_FILE = fileURLToPath(new URL("../../../schema.graphql", import.meta.url));

export function renderSchema(): string {
  return `# Generated from the Pothos schema by \`npm run schema:print\`. Do not edit.\n\n${printSchema(schema)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(SCHEMA_FILE, renderSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
