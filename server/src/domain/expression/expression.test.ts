import { describe, expect, it } from "vitest";
import { ExpressionRuntimeError, evaluate, evaluateSource } from "./evaluate.ts";
import { unsafeRegexReason } from "./functions.ts";
import { parseExpression } from "./parse.ts";

describe("expression language", () => {
  it("evaluates the spec's two expressions verbatim", () => {
    expect(evaluateSource("len(text)>2000 ? 'deep' : 'shallow'", { text: "x".repeat(2001) })).toBe("deep");
    expect(evaluateSource("len(text)>2000 ? 'deep' : 'shallow'", { text: "short" })).toBe("shallow");
    expect(evaluateSource("branch=='deep'", { branch: "deep" })).toBe(true);
    expect(evaluateSource("branch=='deep'", { branch: "shallow" })).toBe(false);
  });

  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 % 4", 2],
    ["7 / 2", 3.5],
    ["-x + +y", 1],
    ["'a' + 1", "a1"],
    ["x < y && y <= 3", true],
    ["x > y || !ok", false],
    ["ok ? 'yes' : 'no'", "yes"],
    ["obj.a.b", 5],
    ["obj['a']['b']", 5],
    ["list[1]", 20],
    ["list.length", 3],
    ["len(list) == 3", true],
    ["len(obj)", 1],
    ["lower('ABC') == 'abc'", true],
    ["upper(name)", "ADA"],
    ["contains(name, 'd')", true],
    ["contains(list, 20)", true],
    ["startsWith(name, 'A') && endsWith(name, 'a')", true],
    ["matches(name, '^A[a-z]+$')", true],
    ["number('42') + 1", 43],
    ["string(3) + string(obj)", '3{"a":{"b":5}}'],
    ["missing == null", true],
    ["obj.none == null", true],
    ["[1, 2][0]", 1],
  ])("%s", (source, expected) => {
    const scope = { x: 2, y: 3, ok: true, obj: { a: { b: 5 } }, list: [10, 20, 30], name: "Ada", missing: null };
    expect(evaluateSource(source, scope)).toEqual(expected);
  });

  it("reports syntax errors with their position", () => {
    const r = parseExpression("len(text) >");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.position).toBe(11);
      expect(r.error.message).toMatch(/^syntax error at position 11/);
    }
  });

  it("rejects unknown identifiers against a scope, and type errors at run time", () => {
    const r = parseExpression("foo > 1", new Set(["text"]));
    expect(r.ok || r.error.message).toBe("unknown identifier 'foo' (available: text)");
    expect(() => evaluateSource("x < 'a'", { x: 1 })).toThrow("cannot compare number < string");
    expect(() => evaluateSource("x / 0", { x: 1 })).toThrow("division by zero");
    expect(() => evaluateSource("len(5)", {})).toThrow("len() expects a string, array or object, got number");
    expect(() => evaluateSource("n.a", { n: null })).toThrow("cannot read 'a' of null");
  });
});

// Each must be rejected at parse time or evaluate safely (a value or an ExpressionRuntimeError), fast.
const HOSTILE: string[] = [
  "constructor",
  "text.constructor",
  "text['constructor']",
  "text.__proto__",
  "inputs.__proto__.polluted",
  "inputs['__pro' + 'to__']",
  "inputs[key]",
  "text.constructor.constructor('return process')()",
  "prototype",
  "this",
  "this.process",
  "process.exit(1)",
  "require('fs')",
  "globalThis",
  "eval('1')",
  "Function('return 1')()",
  "text.toString()",
  "len.call(null, 1)",
  "a = 1",
  "x => x",
  "(1, 2)",
  "1; 2",
  "x ?? 1",
  "x?.y",
  "~1",
  "1 | 2",
  "1 << 30",
  "a === b",
  "/re/.test(text)",
  "matches(text, '(a+)+$')",
  "matches(text, '(a|aa)*b')",
  "matches(text, '(\\\\w*)*x')",
  "matches(text, '(.*a){12}')",
  "matches(text, '(a)\\\\1')",
  `matches(text, '${"a".repeat(300)}')`,
  `${"(".repeat(5000)}1${")".repeat(5000)}`,
  `${"[".repeat(300)}1${"]".repeat(300)}`,
  `${"!".repeat(3000)}true`,
  `${"-".repeat(3000)}1`,
  `${"1 + ".repeat(1000)}1`,
  "'x'.repeat(1e9)",
  "text + text + text + text + text + text + text + text + text + text + text + text + text + text + text + text + text + text + text + text + text",
  `'${"a".repeat(5000)}'`,
  `[${"1,".repeat(500)}1]`,
  "matches(big, 'a*a*a*a*a*a*b')",
  "len(inputs[inputs])",
];

describe("hostile expressions", () => {
  it(`has at least 20 cases (${HOSTILE.length})`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(20);
  });

  it.each(HOSTILE.map((h) => [h.length > 60 ? `${h.slice(0, 57)}...` : h, h]))(
    "%s is rejected or evaluated safely",
    (_label, source) => {
      const polluted = ({} as Record<string, unknown>).polluted;
      const scope = {
        text: "a".repeat(50_000),
        big: "a".repeat(100_000),
        inputs: { a: 1 },
        key: "__proto__",
        x: 1,
        a: 1,
        b: 1,
      };
      const started = performance.now();
      const parsed = parseExpression(source, new Set(Object.keys(scope)));
      if (parsed.ok) {
        try {
          const value = evaluate(parsed.ast, scope);
          expect(typeof value === "function").toBe(false);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionRuntimeError);
        }
      } else {
        expect(parsed.error.message.length).toBeGreaterThan(0);
      }
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(({} as Record<string, unknown>).polluted).toBe(polluted);
      expect(Object.prototype).not.toHaveProperty("polluted");
    },
  );

  it("bounds the length of strings an expression builds", () => {
    const text = "a".repeat(600_000);
    expect(() => evaluateSource("text + text", { text })).toThrow("string result longer than 1000000 characters");
  });

  it("bounds evaluation steps", () => {
    const parsed = parseExpression(`${"x + ".repeat(200)}x`);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(() => evaluate(parsed.ast, { x: 1 }, { maxSteps: 100, maxMillis: 50, maxStringLength: 10 })).toThrow(
      "evaluation exceeded 100 steps",
    );
  });

  it("classifies regexes", () => {
    expect(unsafeRegexReason("^[a-z]+@[a-z]+\\.com$")).toBeNull();
    expect(unsafeRegexReason("(ab)+")).toBeNull();
    // Linear-time engine: classic catastrophic patterns are harmless…
    expect(unsafeRegexReason("(a+)+$")).toBeNull();
    expect(evaluateSource("matches(big, '(a+)+$')", { big: `${"a".repeat(99_999)}!` })).toBe(false);
    expect(evaluateSource("matches(big, 'a*a*a*a*a*a*b')", { big: "a".repeat(100_000) })).toBe(false);
    // …and features that need backtracking are refused.
    expect(unsafeRegexReason("(a)\\1")).toMatch(/invalid regex/);
    expect(unsafeRegexReason("(?=a)")).toMatch(/invalid regex/);
    expect(unsafeRegexReason("(a")).toMatch(/invalid regex/);
    expect(unsafeRegexReason("a".repeat(201))).toMatch(/longer than 200/);
  });
});
