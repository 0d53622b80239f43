import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { workflowJsonSchema } from "../../src/domain/workflow/schema.ts";
import {
  CLIENT_DIFF_TYPES_FILE,
  CLIENT_EVAL_TYPES_FILE,
  CLIENT_WORKFLOW_TYPES_FILE,
  renderClientDiffTypes,
  renderClientEvalTypes,
  renderClientWorkflowTypes,
} from "../../src/graphql/print-schema.ts";

describe("docs/workflow.schema.json", () => {
  it("is the current rendering of the workflow schema (regenerate with `npm run schema:print`)", () => {
    const onDisk = JSON.parse(readFileSync(new URL("../../../docs/workflow.schema.json", import.meta.url), "utf8"));
    expect(onDisk).toEqual(workflowJsonSchema());
  });

  it("the dashboard's WorkflowDocument type is generated from it (regenerate with `npm run schema:print`)", async () => {
    expect(readFileSync(CLIENT_WORKFLOW_TYPES_FILE, "utf8")).toBe(await renderClientWorkflowTypes());
  });
});

describe("client/src/generated/diffs.ts", () => {
  it("is the current rendering of the diff contract (regenerate with `npm run schema:print`)", async () => {
    expect(readFileSync(CLIENT_DIFF_TYPES_FILE, "utf8")).toBe(await renderClientDiffTypes());
  });
});

describe("client/src/generated/evals.ts", () => {
  it("is the current rendering of the datasets and experiments contract (regenerate with `npm run schema:print`)", async () => {
    expect(readFileSync(CLIENT_EVAL_TYPES_FILE, "utf8")).toBe(await renderClientEvalTypes());
  });
});
