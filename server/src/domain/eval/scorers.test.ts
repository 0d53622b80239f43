import type { ExperimentItemJson } from "@flowtrace/contract/evals";
import { describe, expect, it } from "vitest";
import { parseVerdict } from "./judge.ts";
import { applyScorer, type JsonSchemaCheck, nameScorers, type ScoredRun, scorersSchema } from "./scorers.ts";
import { compareExperiments, percentile, summarize } from "./summary.ts";

const run = (over: Partial<ScoredRun> = {}): ScoredRun => ({
  status: "succeeded",
  error: null,
  output: "The capital is Paris.",
  outputPresent: true,
  expected: "paris",
  costCents: "0.012",
  latencyMs: 900,
  ...over,
});
const noSchema: JsonSchemaCheck = () => [];
const score = (raw: object, r: ScoredRun = run(), check = noSchema) => {
  const [s] = nameScorers(scorersSchema.parse([raw]));
  if (!s || s.type === "llm_judge") throw new Error("not a pure scorer");
  return applyScorer(s, r, check);
};

describe("scorers", () => {
  const calls = [
    { name: "http_fetch", tool: "http.fetch", args: { url: "https://a.example" } },
    { name: "transform", tool: "transform", args: { operation: "upper", value: "x" } },
    { name: "http_fetch", tool: "http.fetch", args: { url: "https://b.example" } },
  ];

  it("tool_called counts an agent's calls of a tool (by its name or the catalog's), with argument matchers", () => {
    const withCalls = run({ toolCalls: calls });
    expect(score({ type: "tool_called", tool: "http_fetch" }, withCalls)).toMatchObject({ pass: true });
    expect(score({ type: "tool_called", tool: "http.fetch", max: 1 }, withCalls)).toMatchObject({
      pass: false,
      reason: "http.fetch called 2 times (expected 1–1); calls: http_fetch, transform, http_fetch",
    });
    expect(score({ type: "tool_called", tool: "http_fetch", args: { url: "https://b.example" } }, withCalls).pass).toBe(
      true,
    );
    expect(score({ type: "tool_called", tool: "csv_parse" }, withCalls).pass).toBe(false);
    expect(score({ type: "tool_called", tool: "csv_parse", min: 0, max: 0 }, withCalls).pass).toBe(true);
  });

  it("trajectory matches the exact sequence, an in-order subsequence, or calls in any order", () => {
    const withCalls = run({ toolCalls: calls });
    const expected = [{ tool: "http_fetch" }, { tool: "transform" }];
    expect(score({ type: "trajectory", expected }, withCalls).pass).toBe(true);
    expect(score({ type: "trajectory", expected, match: "exact" }, withCalls).pass).toBe(false);
    expect(
      score({ type: "trajectory", expected: [...expected, { tool: "http_fetch" }], match: "exact" }, withCalls).pass,
    ).toBe(true);
    const reversed = [{ tool: "transform" }, { tool: "http_fetch", args: { url: "https://a.example" } }];
    expect(score({ type: "trajectory", expected: reversed }, withCalls).pass).toBe(false);
    expect(score({ type: "trajectory", expected: reversed, match: "any_order" }, withCalls).pass).toBe(true);
    expect(
      score(
        { type: "trajectory", expected: [{ tool: "transform" }, { tool: "transform" }], match: "any_order" },
        withCalls,
      ).pass,
    ).toBe(false);
    expect(score({ type: "trajectory", expected }, run({ toolCalls: [] })).reason).toBe(
      "in order: expected http_fetch, transform; got no tool calls",
    );
  });

  it("exact compares strings trimmed and JSON values canonically", () => {
    expect(score({ type: "exact" }, run({ output: " paris\n" })).pass).toBe(true);
    expect(score({ type: "exact" }, run({ output: "Paris" })).pass).toBe(false);
    expect(score({ type: "exact" }, run({ output: { b: 1, a: [2] }, expected: { a: [2], b: 1 } })).pass).toBe(true);
    expect(score({ type: "exact", value: "x" }, run({ output: "x", expected: "y" })).pass).toBe(true);
  });

  it("contains ignores case unless asked, and says what it looked for", () => {
    expect(score({ type: "contains" })).toMatchObject({ pass: true, score: 1, reason: 'contains "paris"' });
    expect(score({ type: "contains", case_sensitive: true }).pass).toBe(false);
    expect(score({ type: "contains", value: "Rome" })).toMatchObject({
      pass: false,
      reason: 'does not contain "Rome"',
    });
  });

  it("regex runs on RE2 against expected or its value; an unsafe pattern is refused at the edge", () => {
    expect(score({ type: "regex", value: "capital is \\w+" }).pass).toBe(true);
    expect(score({ type: "regex" }, run({ expected: "^The" })).pass).toBe(true);
    expect(score({ type: "regex" }, run({ expected: "(" })).reason).toMatch(/refused: invalid regex/);
    expect(scorersSchema.safeParse([{ type: "regex", value: "(a" }]).success).toBe(false);
  });

  it("json_schema parses a text answer (code fences too) and reports the validator's problems", () => {
    const check: JsonSchemaCheck = (_s, v) => ((v as { n?: unknown }).n === undefined ? ["(value) must have n"] : []);
    expect(score({ type: "json_schema", schema: {} }, run({ output: '```json\n{"n": 1}\n```' }), check).pass).toBe(
      true,
    );
    expect(score({ type: "json_schema", schema: {} }, run({ output: "{}" }), check).reason).toBe("(value) must have n");
    expect(score({ type: "json_schema", schema: {} }, run({ output: "nope" }), check).reason).toMatch(
      /^the output is not JSON/,
    );
  });

  it("numeric finds the number in the answer and applies the tolerance", () => {
    expect(score({ type: "numeric", tolerance: 0.1 }, run({ output: "about 3.14 km", expected: 3.2 })).pass).toBe(true);
    expect(score({ type: "numeric" }, run({ output: "about 3.14 km", expected: "3.2" })).pass).toBe(false);
    expect(score({ type: "numeric" }, run({ output: "none", expected: 1 })).reason).toMatch(/no number/);
  });

  it("cost_under and latency_under; an unknown cost never passes", () => {
    expect(score({ type: "cost_under", cents: 0.02 }).pass).toBe(true);
    expect(score({ type: "cost_under", cents: 0.01 }).pass).toBe(false);
    expect(score({ type: "cost_under", cents: 5 }, run({ costCents: null })).reason).toMatch(/unknown/);
    expect(score({ type: "latency_under", ms: 1000 }).pass).toBe(true);
    expect(score({ type: "latency_under", ms: 900 }).pass).toBe(false);
  });

  it("a failed run, a missing node or a missing reference fails with the reason", () => {
    expect(score({ type: "contains" }, run({ status: "failed", error: "boom" })).reason).toBe("the run failed: boom");
    expect(score({ type: "contains", node: "n9" }, run({ outputPresent: false })).reason).toBe("node n9 did not run");
    expect(score({ type: "contains" }, run({ expected: null })).reason).toMatch(/nothing to compare with/);
  });

  it("names repeated scorers apart", () => {
    const named = nameScorers(
      scorersSchema.parse([{ type: "contains" }, { type: "contains" }, { type: "regex", name: "r" }]),
    );
    expect(named.map((s) => s.name)).toEqual(["contains", "contains#2", "r"]);
  });
});

describe("the judge's verdict", () => {
  it("reads a JSON verdict in prose, scales 0-10 scores, and refuses an answer that is none", () => {
    expect(parseVerdict("j", 'Sure! {"score": 0.8, "reason": "good"}', 0.5)).toMatchObject({ pass: true, score: 0.8 });
    expect(parseVerdict("j", '{"score": 4, "reason": "meh"}', 0.5)).toMatchObject({ pass: false, score: 0.4 });
    expect(parseVerdict("j", "I think it is fine", 0.5)).toMatchObject({
      pass: false,
      reason: expect.stringMatching(/not a verdict/),
    });
  });
});

const item = (id: string, passed: boolean | null, over: Partial<ExperimentItemJson> = {}): ExperimentItemJson => ({
  item_id: id,
  position: Number(id),
  input_vars: {},
  run_id: `r${id}`,
  status: "succeeded",
  scored: passed !== null,
  passed,
  output: `out ${id}`,
  scores: passed === null ? [] : [{ scorer: "contains", pass: passed, score: passed ? 1 : 0, reason: "" }],
  cost_cents: "0.1",
  cost_complete: true,
  latency_ms: 100 * (Number(id) + 1),
  tokens: 10,
  cache_hits: 0,
  judge_tokens: 0,
  judge_cost_cents: "0",
  judge_cost_complete: true,
  error: null,
  ...over,
});

describe("summary and comparison", () => {
  it("nearest-rank percentiles", () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });

  it("sums money exactly and says when a cost is a lower bound", () => {
    const s = summarize([
      item("0", true),
      item("1", false, { cost_cents: "0.2", cost_complete: false }),
      item("2", null, { run_id: null }),
    ]);
    expect(s).toMatchObject({
      items: 3,
      scored: 2,
      passed: 1,
      pass_rate: 0.5,
      total_cost_cents: "0.3",
      cost_complete: false,
      total_tokens: 20,
    });
    expect(s.scores).toEqual({ contains: 0.5 });
  });

  it("lists regressions and fixes, matched by item id", () => {
    const before = [item("0", true), item("1", false), item("2", true)];
    const now = [item("0", false, { output: "changed", cost_cents: "0.15" }), item("1", true), item("2", true)];
    const c = compareExperiments(
      { experiment: "b", against: "a" },
      { items: before, summary: summarize(before) },
      { items: now, summary: summarize(now) },
    );
    expect(c.regressions).toEqual(["0"]);
    expect(c.fixes).toEqual(["1"]);
    expect(c.items[0]).toMatchObject({
      change: "regression",
      output_changed: true,
      cost_delta_cents: "0.05",
      score_deltas: { contains: -1 },
    });
    expect(c.items[2]).toMatchObject({ change: "same", output_changed: false, latency_delta_ms: 0 });
    expect(c.summary).toMatchObject({ pass_rate: [2 / 3, 2 / 3], pass_rate_delta: 0, total_cost_delta_cents: "0.05" });
  });
});
