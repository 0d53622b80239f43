/**
 * Scorers: how an experiment judges one item's run. Declared once as a zod schema (the REST body,
 * the CLI and the dashboard all send this shape) and applied here, purely — except `json_schema`
 * (a validator is passed in) and `llm_judge` (a model call, made by the engine; see judge.ts).
 */

import type { Scorer } from "@flowtrace/contract/evals";
import { RE2JS } from "re2js";
import { canonicalJson } from "../canonical-json.ts";
import { toText, unsafeRegexReason } from "../expression/functions.ts";

export { type Scorer, scorerSchema, scorersSchema } from "@flowtrace/contract/evals";

export type NamedScorer = Scorer & { name: string };

/** Names every scorer: its own name, or its type (`contains`, then `contains#2`, ...). Names are unique. */
export function nameScorers(scorers: readonly Scorer[]): NamedScorer[] {
  const seen = new Map<string, number>();
  return scorers.map((s) => {
    const base = s.name ?? s.type;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...s, name: n === 1 ? base : `${base}#${n}` };
  });
}

export interface Score {
  scorer: string;
  pass: boolean;
  /** 0..1 (1 for a pass of a yes/no scorer). */
  score: number;
  reason: string;
}

/** What a scorer looks at: the run's outcome. */
export interface ScoredRun {
  status: string;
  error: string | null;
  /** The run's output (its last executed node's), or the scorer's node's. */
  output: unknown;
  /** Whether the node the scorer reads ran at all. */
  outputPresent: boolean;
  expected: unknown;
  /** Exact decimal cents as a string; null when unknown (an unpriced step). */
  costCents: string | null;
  latencyMs: number | null;
  /** The tool calls its agents made, in order: the name the model used, the catalog tool, the arguments. */
  toolCalls?: readonly { name: string; tool: string; args: unknown }[];
}

/** Checks a value against a JSON Schema; returns the problems ("" path = the value itself). */
export type JsonSchemaCheck = (schema: Record<string, unknown>, value: unknown) => string[];

const verdict = (scorer: string, pass: boolean, reason: string, score = pass ? 1 : 0): Score => ({
  scorer,
  pass,
  score,
  reason,
});

const clip = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max)}…` : text);
const shown = (v: unknown) => clip(typeof v === "string" ? JSON.stringify(v) : canonicalJson(v ?? null));

/** The value a scorer compares with: its own `value`, else the item's `expected`. */
function reference(s: { value?: unknown }, run: ScoredRun): { ok: true; value: unknown } | { ok: false } {
  if (s.value !== undefined) return { ok: true, value: s.value };
  if (run.expected !== undefined && run.expected !== null) return { ok: true, value: run.expected };
  return { ok: false };
}

const noReference = (name: string) =>
  verdict(name, false, "nothing to compare with: the item has no expected value and the scorer no value");

function exact(s: Extract<NamedScorer, { type: "exact" }>, run: ScoredRun): Score {
  const ref = reference(s, run);
  if (!ref.ok) return noReference(s.name);
  const same =
    typeof ref.value === "string" && typeof run.output === "string"
      ? run.output.trim() === ref.value.trim()
      : canonicalJson(run.output ?? null) === canonicalJson(ref.value);
  return verdict(s.name, same, same ? "equal to the expected value" : `${shown(run.output)} ≠ ${shown(ref.value)}`);
}

function contains(s: Extract<NamedScorer, { type: "contains" }>, run: ScoredRun): Score {
  const ref = reference(s, run);
  if (!ref.ok) return noReference(s.name);
  const needle = toText(ref.value);
  const fold = (t: string) => (s.case_sensitive ? t : t.toLowerCase());
  const found = fold(toText(run.output ?? "")).includes(fold(needle));
  return verdict(s.name, found, found ? `contains ${shown(needle)}` : `does not contain ${shown(needle)}`);
}

function regex(s: Extract<NamedScorer, { type: "regex" }>, run: ScoredRun): Score {
  const ref = reference(s, run);
  if (!ref.ok) return noReference(s.name);
  const pattern = toText(ref.value);
  const unsafe = unsafeRegexReason(pattern);
  if (unsafe) return verdict(s.name, false, `the pattern ${shown(pattern)} is refused: ${unsafe}`);
  const found = RE2JS.compile(pattern)
    .matcher(toText(run.output ?? ""))
    .find();
  return verdict(s.name, found, found ? `matches /${clip(pattern)}/` : `does not match /${clip(pattern)}/`);
}

/** A string output is parsed as JSON first (models answer JSON as text). */
function asJson(output: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof output !== "string") return { ok: true, value: output };
  const text = output
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/```$/, "");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `the output is not JSON: ${(error as Error).message}` };
  }
}

function jsonSchema(s: Extract<NamedScorer, { type: "json_schema" }>, run: ScoredRun, check: JsonSchemaCheck): Score {
  const parsed = asJson(run.output);
  if (!parsed.ok) return verdict(s.name, false, parsed.reason);
  const problems = check(s.schema, parsed.value);
  if (problems.length === 0) return verdict(s.name, true, "matches the schema");
  return verdict(s.name, false, clip(problems.slice(0, 3).join("; "), 300));
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;

function numeric(s: Extract<NamedScorer, { type: "numeric" }>, run: ScoredRun): Score {
  const ref = reference(s, run);
  if (!ref.ok) return noReference(s.name);
  const want = Number(toText(ref.value));
  if (!Number.isFinite(want)) return verdict(s.name, false, `the expected value ${shown(ref.value)} is not a number`);
  const got = typeof run.output === "number" ? run.output : Number(NUMBER.exec(toText(run.output ?? ""))?.[0]);
  if (!Number.isFinite(got)) return verdict(s.name, false, `no number in the output ${shown(run.output)}`);
  const off = Math.abs(got - want);
  const pass = off <= s.tolerance;
  return verdict(s.name, pass, `${got} vs ${want} (off by ${off}, tolerance ${s.tolerance})`);
}

function costUnder(s: Extract<NamedScorer, { type: "cost_under" }>, run: ScoredRun): Score {
  if (run.costCents === null) return verdict(s.name, false, "the run's cost is unknown (a step has no price)");
  const pass = Number(run.costCents) < s.cents;
  return verdict(s.name, pass, `cost ${run.costCents}¢ ${pass ? "<" : "≥"} ${s.cents}¢`);
}

function latencyUnder(s: Extract<NamedScorer, { type: "latency_under" }>, run: ScoredRun): Score {
  if (run.latencyMs === null) return verdict(s.name, false, "the run has no latency (it did not run)");
  const pass = run.latencyMs < s.ms;
  return verdict(s.name, pass, `${run.latencyMs} ms ${pass ? "<" : "≥"} ${s.ms} ms`);
}

/**
 * One scorer's verdict on a finished run. A failed run fails every scorer with its error; a scorer
 * reading a node that did not run fails saying so. `llm_judge` is not scored here (it calls a model).
 */
export function applyScorer(
  s: Exclude<NamedScorer, { type: "llm_judge" }>,
  run: ScoredRun,
  check: JsonSchemaCheck,
): Score {
  if (run.status !== "succeeded")
    return verdict(s.name, false, `the run ${run.status}: ${run.error ?? "no error recorded"}`);
  const readsOutput = !["cost_under", "latency_under", "tool_called", "trajectory"].includes(s.type);
  if (readsOutput && !run.outputPresent) {
    return verdict(s.name, false, s.node ? `node ${s.node} did not run` : "the run has no output");
  }
  switch (s.type) {
    case "exact":
      return exact(s, run);
    case "contains":
      return contains(s, run);
    case "regex":
      return regex(s, run);
    case "json_schema":
      return jsonSchema(s, run, check);
    case "numeric":
      return numeric(s, run);
    case "cost_under":
      return costUnder(s, run);
    case "latency_under":
      return latencyUnder(s, run);
    case "tool_called":
      return toolCalled(s, run);
    case "trajectory":
      return trajectory(s, run);
  }
}

type Call = { name: string; tool: string; args: unknown };

/** Whether a call is the expected one: by name (or catalog tool), with every expected argument equal. */
function matches(call: Call, expected: { tool: string; args?: Record<string, unknown> | undefined }): boolean {
  if (call.name !== expected.tool && call.tool !== expected.tool) return false;
  const args = (call.args ?? {}) as Record<string, unknown>;
  return Object.entries(expected.args ?? {}).every(
    ([k, v]) => canonicalJson(args[k] ?? null) === canonicalJson(v ?? null),
  );
}

const listed = (calls: readonly Call[]) => (calls.length ? calls.map((c) => c.name).join(", ") : "no tool calls");

function toolCalled(s: Extract<NamedScorer, { type: "tool_called" }>, run: ScoredRun): Score {
  const calls = run.toolCalls ?? [];
  const n = calls.filter((c) => matches(c, s)).length;
  const pass = n >= s.min && (s.max === undefined || n <= s.max);
  const bounds = s.max === undefined ? `at least ${s.min}` : `${s.min}–${s.max}`;
  return verdict(
    s.name,
    pass,
    `${s.tool} called ${n} time${n === 1 ? "" : "s"} (expected ${bounds}); calls: ${clip(listed(calls))}`,
  );
}

/** In order with others allowed between: each expected call found after the previous one. */
function inOrder(calls: readonly Call[], expected: Extract<NamedScorer, { type: "trajectory" }>["expected"]): boolean {
  let at = 0;
  for (const e of expected) {
    const found = calls.findIndex((c, i) => i >= at && matches(c, e));
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}

/** Each expected call matched by a distinct call, anywhere. */
function anyOrder(calls: readonly Call[], expected: Extract<NamedScorer, { type: "trajectory" }>["expected"]): boolean {
  const used = new Set<number>();
  return expected.every((e) => {
    const i = calls.findIndex((c, j) => !used.has(j) && matches(c, e));
    if (i >= 0) used.add(i);
    return i >= 0;
  });
}

function trajectory(s: Extract<NamedScorer, { type: "trajectory" }>, run: ScoredRun): Score {
  const calls = run.toolCalls ?? [];
  const pass =
    s.match === "exact"
      ? calls.length === s.expected.length && s.expected.every((e, i) => matches(calls[i] as Call, e))
      : s.match === "in_order"
        ? inOrder(calls, s.expected)
        : anyOrder(calls, s.expected);
  const wanted = s.expected.map((e) => e.tool).join(", ");
  return verdict(s.name, pass, `${s.match.replace("_", " ")}: expected ${wanted}; got ${clip(listed(calls))}`);
}
