import { describe, expect, it } from "vitest";
import { documentNesting } from "./guards.ts";

describe("documentNesting", () => {
  it("counts selection, argument and list nesting", () => {
    expect(documentNesting("{ version { version } }")).toBe(2);
    expect(documentNesting("query($a: [[Int]]) { f(x: {y: [1]}) { g } }")).toBe(4); // { ( { [
    expect(documentNesting(`${"{ a ".repeat(5000)}${"}".repeat(5000)}`)).toBe(5000);
  });

  it("ignores brackets inside strings, block strings and comments", () => {
    expect(documentNesting('{ f(s: "{{{{[[[(((") }')).toBe(2);
    expect(documentNesting('{ f(s: """ {{{{ "quoted" }}}} """) }')).toBe(2);
    expect(documentNesting("# {{{{{{\n{ a }")).toBe(1);
    expect(documentNesting('{ f(s: "esc \\" {{{") }')).toBe(2);
  });

  it("survives unbalanced input", () => {
    expect(documentNesting("}}}} { a")).toBe(1);
    expect(documentNesting('{ "unterminated')).toBe(1);
  });
});
