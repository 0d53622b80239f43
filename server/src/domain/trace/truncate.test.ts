import { describe, expect, it } from "vitest";
import { boundPayload, TRACE_VALUE_LIMIT } from "./truncate.ts";

describe("boundPayload", () => {
  it("returns the payload itself when every value fits", () => {
    const payload = { text: "x".repeat(TRACE_VALUE_LIMIT), n: 1, ok: true, none: null, obj: { a: [1, 2] } };
    expect(boundPayload(payload)).toBe(payload);
  });

  it("keeps the start of a long string with a marker that says where the rest is", () => {
    const out = boundPayload({ text: "a".repeat(100), prompt: "b".repeat(80), model: "m" }, 10);
    expect(out.text).toBe(
      `${"a".repeat(10)}… [truncated by FlowTrace: 100 characters in all; the full value is the step's output]`,
    );
    expect(out.prompt).toBe(
      `${"b".repeat(10)}… [truncated by FlowTrace: 80 characters in all; only this start is kept]`,
    );
    expect(out.model).toBe("m");
    expect(out.truncated).toEqual([
      { field: "text", originalLength: 100 },
      { field: "prompt", originalLength: 80 },
    ]);
  });

  it("replaces a large structure with a JSON preview, and says whether the step holds it whole", () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ i }));
    const out = boundPayload({ output: rows, args: { rows } }, 40);
    const json = JSON.stringify(rows);
    expect(out.output).toEqual({
      $truncated: true,
      originalLength: json.length,
      preview: json.slice(0, 40),
      fullValue: "the step's output",
    });
    expect(out.args).toMatchObject({ $truncated: true, fullValue: null });
    expect(out.truncated).toEqual([
      { field: "output", originalLength: json.length },
      { field: "args", originalLength: JSON.stringify({ rows }).length },
    ]);
  });

  it("does not change the caller's object", () => {
    const payload = { output: "z".repeat(50) };
    boundPayload(payload, 5);
    expect(payload.output).toHaveLength(50);
  });
});
