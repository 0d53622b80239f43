/**
 * The built-in tools as the document sees them: names, aliases, descriptions, output shapes and
 * argument schemas, declared once. The server's implementations (server/src/tools) run them; the
 * validator checks arguments with these schemas; the editor lists them; agents (and JSON Schema
 * consumers) get their argument schemas from here.
 */
import { z } from "zod";

export const fetchArgsSchema = z.strictObject({
  // Checked loosely at save time (the spec's own example uses the placeholder "https://…");
  // the URL is parsed strictly when the tool runs.
  url: z.string().regex(/^https?:\/\/\S+$/i, { message: "expected an http:// or https:// URL" }),
  maxBytes: z
    .int()
    .min(1)
    .max(10 * 1024 * 1024)
    .default(1024 * 1024),
  timeoutMs: z.int().min(100).max(60_000).default(10_000),
  headers: z.record(z.string(), z.string()).optional(),
  acceptStatus: z
    .array(
      z.union([
        z.int().min(100).max(599),
        z.enum(["2xx", "3xx", "4xx", "5xx"], { message: "expected a status code or one of 2xx, 3xx, 4xx, 5xx" }),
      ]),
    )
    .min(1)
    .default(["2xx"])
    .describe(
      'Statuses taken as a result (codes such as 404, or classes such as "4xx"); any other fails the step. Default ["2xx"].',
    ),
});

export const csvArgsSchema = z.strictObject({
  text: z.string().max(20 * 1024 * 1024),
  delimiter: z.string().min(1).max(4).default(","),
  header: z.boolean().default(true),
  maxRows: z.int().min(1).max(1_000_000).default(100_000),
});

export const transformArgsSchema = z.strictObject({
  operation: z.enum(["text", "trim", "lower", "upper", "truncate", "lines", "json.parse", "json.stringify", "pick"], {
    message: "expected one of text, trim, lower, upper, truncate, lines, json.parse, json.stringify, pick",
  }),
  value: z.json().optional(),
  maxLength: z.int().min(0).max(10_000_000).optional(),
  path: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: "expected a dotted path such as a.b.0.c" })
    .optional(),
});

/** One tool's description: what the catalog, the validator and the editor know about it. */
export interface BuiltinToolSpec<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** Node names that select this tool when config.tool is absent (e.g. the spec's "FetchDocs"). */
  aliases: readonly string[];
  description: string;
  /** A sentence describing the output shape, for docs and the editor. */
  output: string;
  argsSchema: S;
}

export const BUILTIN_TOOL_SPECS = {
  fetch: {
    name: "http.fetch",
    aliases: ["FetchDocs", "Fetch", "HttpFetch", "HTTPFetch", "fetch"],
    description: "GET a URL and return its body as text.",
    output: "{content: string, status: number, contentType: string, url: string, bytes: number}",
    argsSchema: fetchArgsSchema,
  } satisfies BuiltinToolSpec<typeof fetchArgsSchema>,

  csv: {
    name: "csv.parse",
    aliases: ["CSV", "ParseCSV", "CsvParse", "LoadCSV"],
    description: "Parse CSV text into rows and per-column summary statistics.",
    output:
      "{columns: string[], rows: object[], rowCount: number, summary: {[column]: {type, count, missing, distinct, min?, max?, mean?, median?, sum?, top?}}}",
    argsSchema: csvArgsSchema,
  } satisfies BuiltinToolSpec<typeof csvArgsSchema>,

  transform: {
    name: "transform",
    aliases: ["Transform", "Format", "Reshape"],
    description: "Reshape text or JSON: trim, case, truncate, split lines, parse/stringify JSON, pick a path.",
    output: "depends on the operation: a string, an array of lines, or the picked/parsed JSON value",
    argsSchema: transformArgsSchema,
  } satisfies BuiltinToolSpec<typeof transformArgsSchema>,
} as const;

/** The built-in tools' names, in catalog order. */
export const BUILTIN_TOOL_NAMES = Object.values(BUILTIN_TOOL_SPECS).map((t) => t.name);

/** A built-in tool's arguments as JSON Schema (as given by a caller: defaults optional), or null for an unknown name. */
export function toolArgsJsonSchema(name: string): Record<string, unknown> | null {
  const spec = Object.values(BUILTIN_TOOL_SPECS).find((t) => t.name === name);
  return spec
    ? (z.toJSONSchema(spec.argsSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>)
    : null;
}
