/** The whitelisted functions available in router rules and edge conditions. Pure and bounded. */
import { unsafeRegexReason } from "@flowtrace/contract/regex";
import { RE2JS } from "re2js";

export { MAX_REGEX_LENGTH, unsafeRegexReason } from "@flowtrace/contract/regex";

export const MAX_MATCH_INPUT = 100_000;

export class ExpressionRuntimeError extends Error {
  override readonly name = "ExpressionRuntimeError";
}

const regexCache = new Map<string, RE2JS>();
function compileRegex(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    const reason = unsafeRegexReason(pattern);
    if (reason) throw new ExpressionRuntimeError(`matches(): ${reason}`);
    re = RE2JS.compile(pattern);
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

const str = (fn: string, v: unknown): string => {
  if (typeof v === "string") return v;
  throw new ExpressionRuntimeError(`${fn}() expects a string, got ${typeName(v)}`);
};

export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

export function toText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  return JSON.stringify(v) ?? "";
}

export interface FunctionSpec {
  arity: [min: number, max: number];
  fn: (...args: unknown[]) => unknown;
}

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = Object.freeze({
  len: {
    arity: [1, 1],
    fn: (v) => {
      if (typeof v === "string" || Array.isArray(v)) return v.length;
      if (v !== null && typeof v === "object") return Object.keys(v).length;
      if (v === null || v === undefined) return 0;
      throw new ExpressionRuntimeError(`len() expects a string, array or object, got ${typeName(v)}`);
    },
  },
  lower: { arity: [1, 1], fn: (v) => str("lower", v).toLowerCase() },
  upper: { arity: [1, 1], fn: (v) => str("upper", v).toUpperCase() },
  contains: {
    arity: [2, 2],
    fn: (hay, needle) => {
      if (Array.isArray(hay)) return hay.some((x) => x === needle);
      return str("contains", hay).includes(str("contains", needle));
    },
  },
  startsWith: { arity: [2, 2], fn: (s, p) => str("startsWith", s).startsWith(str("startsWith", p)) },
  endsWith: { arity: [2, 2], fn: (s, p) => str("endsWith", s).endsWith(str("endsWith", p)) },
  matches: {
    arity: [2, 2],
    fn: (s, p) => {
      const text = str("matches", s);
      if (text.length > MAX_MATCH_INPUT) {
        throw new ExpressionRuntimeError(`matches(): input longer than ${MAX_MATCH_INPUT} characters`);
      }
      return compileRegex(str("matches", p)).test(text);
    },
  },
  number: {
    arity: [1, 1],
    fn: (v) => {
      const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
      if (Number.isNaN(n))
        throw new ExpressionRuntimeError(`number() cannot convert ${JSON.stringify(toText(v).slice(0, 40))}`);
      return n;
    },
  },
  string: { arity: [1, 1], fn: (v) => toText(v) },
});
