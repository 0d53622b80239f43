/**
 * What PostgreSQL can store. JSON allows three things that `text` and `jsonb` columns refuse:
 * the NUL character (U+0000), lone UTF-16 surrogates (`"\ud800"`, invalid Unicode), and — in
 * practice — unbounded nesting (every layer that walks the value recursively can overflow its
 * stack). Input that a user sends is checked here and refused with a path per problem; values a
 * step produces (a fetched page, a model's answer) are made storable instead, so a run never fails
 * because of a byte it received. Pure.
 */
import { formatPath } from "./json-path.ts";

/** Deepest nesting accepted from a client (objects and arrays). */
export const MAX_JSON_DEPTH = 64;

export interface StorageIssue {
  path: string;
  message: string;
}

// NUL, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is precisely what PostgreSQL refuses.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const UNSTORABLE_ALL = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function stringProblem(s: string): string | null {
  const m = UNSTORABLE.exec(s);
  if (!m) return null;
  return m[0] === "\u0000"
    ? `contains the NUL character (\\u0000) at position ${m.index}, which cannot be stored`
    : `contains an unpaired UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16)}) at position ${m.index}, which is not valid Unicode`;
}

/**
 * Problems that keep `value` from being stored, each with its path (`input_vars.topic`,
 * `nodes[2].config.text`), at most `maxIssues` of them. Never recurses: safe on any depth.
 */
export function storageIssues(
  value: unknown,
  options: { path?: readonly PropertyKey[]; maxDepth?: number; maxIssues?: number } = {},
): StorageIssue[] {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const maxIssues = options.maxIssues ?? 10;
  const issues: StorageIssue[] = [];
  const stack: { value: unknown; path: PropertyKey[]; depth: number }[] = [
    { value, path: [...(options.path ?? [])], depth: 0 },
  ];
  while (stack.length > 0 && issues.length < maxIssues) {
    const item = stack.pop() as { value: unknown; path: PropertyKey[]; depth: number };
    const v = item.value;
    if (typeof v === "string") {
      const problem = stringProblem(v);
      if (problem) issues.push({ path: formatPath(item.path), message: `the text ${problem}` });
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (item.depth >= maxDepth) {
      issues.push({
        path: formatPath(item.path),
        message: `nested more than ${maxDepth} levels deep; flatten the value (the limit is ${maxDepth})`,
      });
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: [...item.path, i], depth: item.depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const problem = stringProblem(key);
      if (problem) {
        issues.push({ path: formatPath(item.path), message: `a key ${problem}` });
        continue;
      }
      stack.push({ value: (v as Record<string, unknown>)[key], path: [...item.path, key], depth: item.depth + 1 });
    }
  }
  return issues;
}

/** The issues as one sentence, for an error message. */
export function describeStorageIssues(issues: readonly StorageIssue[]): string {
  return issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
}

/** A string PostgreSQL accepts: NUL and unpaired surrogates become U+FFFD (the replacement character). */
export function storableString(s: string): string {
  return UNSTORABLE.test(s) ? s.replace(UNSTORABLE_ALL, "\ufffd") : s;
}

/**
 * A value PostgreSQL accepts, for what a step produced: every string and key made storable.
 * Returns the value itself when nothing needs replacing (the common case allocates nothing).
 */
export function toStorable<T>(value: T): T {
  return storable(value, 0) as T;
}

function storable(v: unknown, depth: number): unknown {
  if (typeof v === "string") return storableString(v);
  if (v === null || typeof v !== "object" || depth > 512) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const next = storable(v[i], depth + 1);
      if (next !== v[i]) {
        out ??= v.slice();
        out[i] = next;
      }
    }
    return out ?? v;
  }
  if (!isPlain(v)) return v;
  let out: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(v)) {
    const k = storableString(key);
    const next = storable(item, depth + 1);
    if (k !== key || next !== item) {
      out ??= { ...(v as Record<string, unknown>) };
      if (k !== key) delete out[key];
      // defineProperty, not assignment: a key named "__proto__" stays a plain key.
      Object.defineProperty(out, k, { value: next, enumerable: true, writable: true, configurable: true });
    }
  }
  return out ?? v;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
