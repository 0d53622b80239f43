import { describe, expect, it } from "vitest";
import { lineChanges, pathChanges, valueDiff } from "./diff.ts";

describe("value diffs", () => {
  it("lists changed, added and removed JSON paths with old and new values", () => {
    expect(pathChanges({ a: 1, b: { c: [1, 2] }, gone: true }, { a: 2, b: { c: [1, 3] }, added: "x" })).toEqual([
      { path: "a", old: 1, new: 2 },
      { path: "b.c[1]", old: 2, new: 3 },
      { path: "gone", old: true },
      { path: "added", new: "x" },
    ]);
  });

  it("compares scalars and mismatched shapes at the root", () => {
    expect(pathChanges(1, 1)).toEqual([]);
    expect(pathChanges(1, "1")).toEqual([{ path: "", old: 1, new: "1" }]);
    expect(pathChanges([1], { 0: 1 })).toEqual([{ path: "", old: [1], new: { 0: 1 } }]);
  });

  it("diffs text by lines, keeping the unchanged context", () => {
    expect(lineChanges("one\ntwo\nthree\n", "one\n2\nthree\n")).toEqual([
      { op: "same", text: "one\n" },
      { op: "removed", text: "two\n" },
      { op: "added", text: "2\n" },
      { op: "same", text: "three\n" },
    ]);
  });

  it("is null for equal values, text for two strings, json otherwise", () => {
    expect(valueDiff("a", "a")).toBeNull();
    expect(valueDiff({ x: 1 }, { x: 1 })).toBeNull();
    expect(valueDiff("a", "b")?.kind).toBe("text");
    expect(valueDiff({ x: 1 }, { x: 2 })).toEqual({ kind: "json", changes: [{ path: "x", old: 1, new: 2 }] });
  });
});
