import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { aliasLimit, costLimit, depthLimit } from "./limits.ts";
import { schema } from "./schema/index.ts";

const errors = (query: string, rule: ReturnType<typeof depthLimit>) =>
  validate(schema, parse(query), [rule]).map((e) => e.message);

const nested = (levels: number) => {
  let inner = "id";
  for (let i = 0; i < levels; i++) inner = `workflow { runs(first: 1) { edges { node { ${inner} } } } }`;
  return `{ run(id: "x") { ${inner} } }`;
};

describe("operation limits", () => {
  it("refuses depth past the limit in our words, counting fragments as their fields", () => {
    expect(errors(nested(1), depthLimit(12))).toEqual([]);
    expect(errors(nested(3), depthLimit(12))).toEqual(["query is nested 14 levels deep; the limit is 12"]);
    const viaFragment = `{ run(id: "x") { ...R } } fragment R on Run { workflow { runs(first: 1) { edges { node { id } } } } }`;
    expect(errors(viaFragment, depthLimit(6))).toEqual([]);
    expect(errors(viaFragment, depthLimit(5))).toEqual(["query is nested 6 levels deep; the limit is 5"]);
  });

  it("refuses alias floods", () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: version { name }`).join(" ")} }`;
    expect(errors(aliased(30), aliasLimit(30))).toEqual([]);
    expect(errors(aliased(31), aliasLimit(30))).toEqual(["query uses 31 aliases; the limit is 30"]);
  });

  it("prices connections by page size, 20 by default and 100 for a variable", () => {
    const page = (first: string) => `query($n: Int) { workflows${first} { edges { node { id } } } }`;
    expect(errors(page(""), costLimit(80))).toEqual([]);
    expect(errors(page("(first: $n)"), costLimit(300))).toEqual([
      "query cost 301 exceeds the limit of 300; ask for smaller pages or fewer fields",
    ]);
  });
});
