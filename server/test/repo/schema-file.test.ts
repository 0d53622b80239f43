import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderSchema, SCHEMA_FILE } from "../../src/graphql/print-schema.ts";

describe("schema.graphql", () => {
  it("matches the Pothos schema (run `npm run schema:print` when this fails)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(renderSchema());
  });
});
