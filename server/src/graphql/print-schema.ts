/**
 * Writes every generated contract file from its one source: schema.graphql from the code-first
 * Pothos schema; docs/workflow.schema.json from the workflow document's zod schema; and from the
 * trace contract (domain/trace/payloads.ts) docs/trace-events.schema.json, docs/trace-events.md
 * (the dashboard and the CLI use the schemas themselves, from packages/contract); and the dashboard's copy
 * of the tool catalog, client/src/generated/tool-catalog.ts. Tests fail when any is stale
 * (server/test/repo/).
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { compile } from "json-schema-to-typescript";
import { z } from "zod";
import { canonicalJsonPretty } from "../domain/canonical-json.ts";
import { diffsJsonSchema } from "../domain/diff-contract.ts";
import { evalsJsonSchema } from "../domain/eval/contract.ts";
import { traceEventsJsonSchema } from "../domain/trace/payloads.ts";
import { renderTraceEventsReference } from "../domain/trace/reference.ts";
import { workflowJsonSchema } from "../domain/workflow/schema.ts";
import { toolCatalog } from "../tools/registry.ts";
import { schema } from "./schema/index.ts";

const file = (relative: string) => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

export const SCHEMA_FILE = file("schema.graphql");
export const WORKFLOW_SCHEMA_FILE = file("docs/workflow.schema.json");
export const TRACE_SCHEMA_FILE = file("docs/trace-events.schema.json");
export const TRACE_REFERENCE_FILE = file("docs/trace-events.md");
export const CLIENT_TOOL_CATALOG_FILE = file("client/src/generated/tool-catalog.ts");
export const CLIENT_WORKFLOW_TYPES_FILE = file("client/src/generated/workflow.ts");
export const CLIENT_DIFF_TYPES_FILE = file("client/src/generated/diffs.ts");
export const CLIENT_EVAL_TYPES_FILE = file("client/src/generated/evals.ts");

export function renderSchema(): string {
  return `# Generated from the Pothos schema by \`npm run schema:print\`. Do not edit.\n\n${printSchema(schema)}\n`;
}

/** The dashboard's type of the workflow document, from the JSON Schema in docs/workflow.schema.json. */
export async function renderClientWorkflowTypes(): Promise<string> {
  const banner = "/* Generated from server/src/domain/workflow/schema.ts by `npm run schema:print`. Do not edit. */";
  return compile(workflowJsonSchema() as Parameters<typeof compile>[0], "WorkflowDocument", {
    bannerComment: banner,
    additionalProperties: false,
    format: true,
    // `nodes: [Node, ...Node[]]` would make every edit of the list a tuple puzzle; the server checks sizes.
    ignoreMinAndMaxItems: true,
  });
}

/** The dashboard's types of the run diff and the workflow version diff (JSON fields in GraphQL). */
export async function renderClientDiffTypes(): Promise<string> {
  const banner = "/* Generated from server/src/domain/diff-contract.ts by `npm run schema:print`. Do not edit. */";
  return compile(diffsJsonSchema() as Parameters<typeof compile>[0], "Diffs", {
    bannerComment: banner,
    additionalProperties: false,
    format: true,
  });
}

/** The dashboard's types of datasets, experiments and their comparison (REST answers). */
export async function renderClientEvalTypes(): Promise<string> {
  const banner = "/* Generated from server/src/domain/eval/contract.ts by `npm run schema:print`. Do not edit. */";
  return compile(evalsJsonSchema() as Parameters<typeof compile>[0], "Evals", {
    bannerComment: banner,
    additionalProperties: false,
    format: true,
  });
}

/** The dashboard's copy of the tool catalog: names, aliases, descriptions and argument schemas. */
export function renderClientToolCatalog(): string {
  const tools = toolCatalog.list().map((t) => ({
    name: t.name,
    aliases: [...t.aliases],
    description: t.description,
    args: z.toJSONSchema(t.argsSchema, { io: "input", unrepresentable: "any" }),
  }));
  return [
    "/* Generated from the server's tool catalog (server/src/tools/registry.ts) by `npm run schema:print`. Do not edit. */",
    "",
    `export const TOOL_CATALOG = ${JSON.stringify(tools, null, 2)} as const;`,
    "",
    'export type ToolName = (typeof TOOL_CATALOG)[number]["name"];',
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(SCHEMA_FILE, renderSchema());
  await writeFile(WORKFLOW_SCHEMA_FILE, canonicalJsonPretty(workflowJsonSchema()));
  await writeFile(TRACE_SCHEMA_FILE, canonicalJsonPretty(traceEventsJsonSchema()));
  await writeFile(TRACE_REFERENCE_FILE, renderTraceEventsReference());
  await writeFile(CLIENT_TOOL_CATALOG_FILE, renderClientToolCatalog());
  await writeFile(CLIENT_WORKFLOW_TYPES_FILE, await renderClientWorkflowTypes());
  await writeFile(CLIENT_DIFF_TYPES_FILE, await renderClientDiffTypes());
  await writeFile(CLIENT_EVAL_TYPES_FILE, await renderClientEvalTypes());
  console.log(
    "wrote schema.graphql, docs/workflow.schema.json, docs/trace-events.{schema.json,md}, client/src/generated/{tool-catalog,workflow,diffs,evals}.ts",
  );
}
