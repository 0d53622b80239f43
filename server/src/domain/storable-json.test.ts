import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, storableString, storageIssues, toStorable } from "./storable-json.ts";

const nested = (depth: number): unknown => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe("storageIssues", () => {
  it("accepts ordinary JSON, including emoji (valid surrogate pairs)", () => {
    expect(storageIssues({ topic: "héllo 👨‍👩‍👧‍👦", list: [1, null, true, { k: "v" }] })).toEqual([]);
    expect(storageIssues(nested(MAX_JSON_DEPTH))).toEqual([]);
  });

  it("names the path of a NUL in a value and in a key", () => {
    expect(storageIssues({ input_vars: { topic: "a\u0000b" } })).toEqual([
      {
        path: "input_vars.topic",
        message: "the text contains the NUL character (\\u0000) at position 1, which cannot be stored",
      },
    ]);
    expect(storageIssues({ nodes: [{ inputs: { "bad\u0000key": 1 } }] })[0]).toEqual({
      path: "nodes[0].inputs",
      message: "a key contains the NUL character (\\u0000) at position 3, which cannot be stored",
    });
  });

  it("finds unpaired surrogates, high or low, and only those", () => {
    expect(storageIssues(["ok\ud83d\ude00", "x\ud800", "\udc00y", "\ud800\ud800\udc00"]).map((i) => i.path)).toEqual([
      "[1]",
      "[2]",
      "[3]",
    ]);
    expect(storageIssues("x\ud800")[0]?.message).toContain("unpaired UTF-16 surrogate (\\ud800) at position 1");
  });

  it("refuses nesting past the limit without recursing (100,000 levels)", () => {
    const issues = storageIssues({ v: nested(100_000) }, { path: ["input_vars"] });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe(
      `nested more than ${MAX_JSON_DEPTH} levels deep; flatten the value (the limit is ${MAX_JSON_DEPTH})`,
    );
    expect(issues[0]?.path.startsWith("input_vars.v.a.a")).toBe(true);
  });

  it("stops after maxIssues", () => {
    expect(
      storageIssues(
        Array.from({ length: 50 }, () => "\u0000"),
        { maxIssues: 3 },
      ),
    ).toHaveLength(3);
  });
});

describe("toStorable", () => {
  it("returns the same value when nothing needs replacing", () => {
    const v = { a: ["x", { b: "y" }], n: 1 };
    expect(toStorable(v)).toBe(v);
  });

  it("replaces NUL and unpaired surrogates with U+FFFD in values and keys, without touching the input", () => {
    const input = { "k\u0000": ["a\u0000b", "ok 😀", "c\ud800"], keep: 1 };
    expect(toStorable(input)).toEqual({ "k\ufffd": ["a\ufffdb", "ok 😀", "c\ufffd"], keep: 1 });
    expect(input["k\u0000"][0]).toBe("a\u0000b");
  });

  it("keeps a key named __proto__ a plain key (no prototype change)", () => {
    const input = JSON.parse('{"__proto__":{"polluted":"x\\u0000"},"a":"\\u0000"}') as Record<string, unknown>;
    const out = toStorable(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":"x\ufffd"},"a":"\ufffd"}');
  });

  it("storableString leaves valid text alone", () => {
    const s = "plain text";
    expect(storableString(s)).toBe(s);
    expect(storableString("\u0000\u0000")).toBe("\ufffd\ufffd");
  });
});
