import { describe, expect, it } from "vitest";
import { parseSearch, stringifySearch } from "./search-params.ts";

describe("search params", () => {
  it("reads a repeated key as a list and a single one as a string", () => {
    expect(parseSearch("?compare=a&compare=b&q=x")).toEqual({ compare: ["a", "b"], q: "x" });
    expect(parseSearch("")).toEqual({});
  });

  it("writes lists as repeated keys and leaves out empty values", () => {
    expect(stringifySearch({ compare: ["a", "b"], q: "x y", none: undefined })).toBe("?compare=a&compare=b&q=x+y");
    expect(stringifySearch({})).toBe("");
  });
});
