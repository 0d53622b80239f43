import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { workflowJsonSchema } from "../../src/domain/workflow/schema.ts";

describe("docs/workflow.schema.json", () => {
  it("is the current rendering of the workflow schema (regenerate with `npm run schema:print`)", () => {
    const onDisk = JSON.parse(readFileSync(new URL("../../../docs/workflow.schema.json", import.meta.url), "utf8"));
    expect(onDisk).toEqual(workflowJsonSchema());
  });
});

describe("the dashboard's contract types", () => {
  it("come from packages/contract, not from committed copies (client/src/generated is gone)", () => {
    expect(existsSync(new URL("../../../client/src/generated", import.meta.url))).toBe(false);
  });
});
