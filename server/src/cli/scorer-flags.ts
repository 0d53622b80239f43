/**
 * `--scorer` flags as scorers: `contains`, `contains:TEXT`, `exact[:VALUE]`, `regex[:PATTERN]`,
 * `numeric[:TOLERANCE]`, `cost_under:CENTS`, `latency_under:MS`, `json_schema:FILE.json`,
 * `llm_judge:RUBRIC`, or a whole scorer as JSON (`{"type":"llm_judge","rubric":"…","model":"…"}`).
 * The server checks the result with the one scorer schema; this only splits the flag.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "./client.ts";

type Build = (arg: string | null) => Promise<Record<string, unknown>> | Record<string, unknown>;

const need = (type: string, what: string, arg: string | null) => {
  if (arg === null || arg === "") throw new UsageError(`--scorer ${type} needs ${what}: --scorer ${type}:…`);
  return arg;
};

const number = (type: string, what: string, arg: string | null) => {
  const n = Number(need(type, what, arg));
  if (!Number.isFinite(n)) throw new UsageError(`--scorer ${type}:${arg}: expected ${what} as a number`);
  return n;
};

async function schemaFile(arg: string | null) {
  const file = need("json_schema", "a JSON Schema file", arg);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  try {
    return { type: "json_schema", schema: JSON.parse(text) };
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

const BUILDERS: Record<string, Build> = {
  exact: (arg) => ({ type: "exact", ...(arg !== null ? { value: arg } : {}) }),
  contains: (arg) => ({ type: "contains", ...(arg !== null ? { value: arg } : {}) }),
  regex: (arg) => ({ type: "regex", ...(arg !== null ? { value: arg } : {}) }),
  numeric: (arg) => ({
    type: "numeric",
    ...(arg !== null ? { tolerance: number("numeric", "a tolerance", arg) } : {}),
  }),
  cost_under: (arg) => ({ type: "cost_under", cents: number("cost_under", "a cost in cents", arg) }),
  latency_under: (arg) => ({ type: "latency_under", ms: number("latency_under", "milliseconds", arg) }),
  json_schema: schemaFile,
  llm_judge: (arg) => ({ type: "llm_judge", rubric: need("llm_judge", "a rubric", arg) }),
};

export async function parseScorerFlag(flag: string): Promise<unknown> {
  if (flag.trim().startsWith("{")) {
    try {
      return JSON.parse(flag);
    } catch (error) {
      throw new UsageError(`--scorer ${flag}: not valid JSON: ${(error as Error).message}`);
    }
  }
  const colon = flag.indexOf(":");
  const type = colon < 0 ? flag : flag.slice(0, colon);
  const arg = colon < 0 ? null : flag.slice(colon + 1);
  const build = Object.hasOwn(BUILDERS, type) ? BUILDERS[type] : undefined;
  if (!build)
    throw new UsageError(`--scorer ${flag}: expected one of ${Object.keys(BUILDERS).join(", ")} (or a scorer as JSON)`);
  return build(arg);
}
