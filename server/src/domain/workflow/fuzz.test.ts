/**
 * Property tests: validation never throws (only returns issues) and the expression language never
 * throws anything but its own errors, over more than 10,000 generated documents and expressions.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toolCatalog } from "../../tools/registry.ts";
import { ExpressionRuntimeError, evaluate } from "../expression/evaluate.ts";
import { parseExpression } from "../expression/parse.ts";
import { RunPlanner } from "./compile.ts";
import { SPEC_EXAMPLE } from "./examples.ts";
import { validateWorkflow } from "./validate.ts";

const ctx = { tools: toolCatalog, providers: ["openai", "anthropic"] };

const ids = fc.constantFrom("a", "b", "c", "d", "ingest", "x-1", "", "1bad", "__proto__", "constructor");
const exprTokens = [
  "text",
  "branch",
  "output",
  "inputs",
  "input",
  "len",
  "(",
  ")",
  "'deep'",
  '"x"',
  "==",
  "!=",
  ">",
  "<=",
  "&&",
  "||",
  "!",
  "?",
  ":",
  "+",
  "-",
  "*",
  "/",
  "%",
  "2000",
  "0",
  ".",
  "[",
  "]",
  ",",
  "constructor",
  "__proto__",
  "lower",
  "matches",
  "'(a+)+'",
  "null",
  "true",
  "this",
  "=",
  ";",
  "~",
  "`",
  "\\",
  "{{",
  "}}",
  " ",
];
const expression = fc.array(fc.constantFrom(...exprTokens), { maxLength: 20 }).map((t) => t.join(""));
const template = fc.oneof(
  fc.string(),
  ids.map((id) => `{{node.${id}.output}}`),
  ids.map((id) => `{{node.${id}.output.content}}`),
  fc.constantFrom("{{input.topic}}", "{{nodes.x}}", "{{", "{{node.a.output.__proto__}}", "{{ }}"),
);
const config = fc.oneof(
  fc.record(
    { provider: fc.constantFrom("openai", "anthropic", "x", 1), model: fc.oneof(fc.string(), fc.constant(null)) },
    { requiredKeys: [] },
  ),
  fc.record({ rule: fc.oneof(expression, fc.integer()) }, { requiredKeys: [] }),
  fc.record(
    { url: fc.oneof(fc.webUrl(), fc.string()), tool: fc.constantFrom("http.fetch", "csv.parse", "nope", 3) },
    { requiredKeys: [] },
  ),
  fc.record({ tool: fc.constant("csv.parse"), args: fc.oneof(fc.anything(), fc.record({ text: template })) }),
  fc.anything(),
);
const node = fc.record(
  {
    id: fc.oneof(ids, fc.anything()),
    type: fc.constantFrom("llm", "tool", "router", "other", null),
    name: fc.oneof(fc.constantFrom("FetchDocs", "CSV", "Summarize"), fc.string()),
    config,
    inputs: fc.oneof(fc.dictionary(fc.string(), template), fc.anything()),
  },
  { requiredKeys: [] },
);
const edge = fc.record(
  { from: fc.oneof(ids, fc.anything()), to: fc.oneof(ids, fc.anything()), when: fc.oneof(expression, fc.anything()) },
  { requiredKeys: [] },
);
const document = fc.record(
  {
    version: fc.constantFrom("1", "2", 1),
    entry: fc.oneof(ids, fc.anything()),
    nodes: fc.oneof(fc.array(node, { maxLength: 8 }), fc.anything()),
    edges: fc.oneof(fc.array(edge, { maxLength: 10 }), fc.anything()),
    limits: fc.oneof(
      fc.record(
        { maxNodes: fc.integer(), maxTokens: fc.double(), timeoutSeconds: fc.anything() },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
    parallel: fc.anything(),
  },
  { requiredKeys: [] },
);

/** Mutate the spec example: set one random path to a random value. */
const mutatedSpec = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constantFrom("nodes", "edges", "config", "inputs", "limits", "rule", "when", "id", "from"),
        fc.nat(4),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.anything(),
  )
  .map(([path, value]) => {
    const doc = structuredClone(SPEC_EXAMPLE) as unknown as Record<string | number, unknown>;
    let cur: unknown = doc;
    for (const seg of path.slice(0, -1)) {
      if (cur && typeof cur === "object" && seg in (cur as object))
        cur = (cur as Record<string | number, unknown>)[seg];
    }
    if (cur && typeof cur === "object")
      (cur as Record<string | number, unknown>)[path[path.length - 1] as string] = value;
    return doc;
  });

const neverThrows = (input: unknown) => {
  const result = validateWorkflow(input, ctx);
  expect(typeof result.ok).toBe("boolean");
  if (!result.ok) {
    expect(result.issues.length).toBeGreaterThan(0);
    for (const i of result.issues) {
      expect(typeof i.path).toBe("string");
      expect(i.message.length).toBeGreaterThan(0);
    }
  }
};

// Thousands of generated cases take seconds on a loaded 2-core machine: vitest's 5 s default is a
// timing threshold these tests must not have (they assert behaviour, never speed).
const PROPERTY_TIMEOUT = { timeout: 120_000 };

describe("validation fuzzing", PROPERTY_TIMEOUT, () => {
  it("never throws on arbitrary JSON values (3,000 cases)", () => {
    fc.assert(fc.property(fc.anything(), neverThrows), { numRuns: 3_000 });
  });

  it("never throws on workflow-shaped garbage (3,000 cases)", () => {
    fc.assert(fc.property(document, neverThrows), { numRuns: 3_000 });
  });

  it("never throws on mutations of the spec example (2,000 cases)", () => {
    fc.assert(fc.property(mutatedSpec, neverThrows), { numRuns: 2_000 });
  });

  it("compiles and plans every document it accepts (1,000 valid DAGs)", () => {
    const dag = fc
      .integer({ min: 1, max: 12 })
      .chain((n) =>
        fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }), fc.boolean()),
      );
    fc.assert(
      fc.property(dag, ([n, pairs, parallel]) => {
        const nodes = Array.from({ length: n }, (_, i) => ({
          id: `n${i}`,
          type: "llm",
          name: `n${i}`,
          config: { provider: "openai", model: "m" },
        }));
        const seen = new Set<string>();
        // Edges always go forward from n0's descendants, so the graph is a DAG reachable from n0.
        const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));
        for (const e of edges) seen.add(`${e.from}>${e.to}`);
        for (const [x, y] of pairs) {
          const [from, to] = x < y ? [x, y] : [y, x];
          if (from === to || seen.has(`n${from}>n${to}`)) continue;
          seen.add(`n${from}>n${to}`);
          edges.push({ from: `n${from}`, to: `n${to}` });
        }
        const r = validateWorkflow(
          { version: "1", entry: "n0", nodes, edges, parallel, limits: { maxNodes: 20 } },
          ctx,
        );
        expect(r.issues).toEqual([]);
        if (!r.ok) return;
        const planner = new RunPlanner(r.compiled);
        const ran: string[] = [];
        for (let guard = 0; guard < 100 && !planner.finished; guard++) {
          const batch = planner.next();
          for (const id of batch) planner.start(id);
          for (const id of batch) {
            for (const p of r.compiled.parents.get(id) ?? []) expect(ran).toContain(p);
            ran.push(id);
            planner.complete(id, "succeeded");
          }
        }
        expect(ran.sort()).toEqual(nodes.map((x) => x.id).sort());
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("expression fuzzing", PROPERTY_TIMEOUT, () => {
  const scope = { text: "hello", branch: "deep", output: { a: [1, 2] }, inputs: { text: "x" }, input: {} };
  const check = (source: string) => {
    const parsed = parseExpression(source);
    if (!parsed.ok) {
      expect(parsed.error.message.length).toBeGreaterThan(0);
      return;
    }
    try {
      evaluate(parsed.ast, scope);
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionRuntimeError);
    }
  };

  it("parses or rejects token soup, and evaluates only with its own errors (3,000 cases)", () => {
    fc.assert(fc.property(expression, check), { numRuns: 3_000 });
  });

  it("handles arbitrary unicode strings (1,000 cases)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), check), { numRuns: 1_000 });
  });
});
