// The trace contract's generated files are current (regenerate with `npm run schema:print`).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TRACE_EVENT_KINDS, traceEventsJsonSchema } from "../../src/domain/trace/payloads.ts";
import { renderTraceEventsReference } from "../../src/domain/trace/reference.ts";
import { TRACE_REFERENCE_FILE, TRACE_SCHEMA_FILE } from "../../src/graphql/print-schema.ts";

describe("the trace contract's generated files", () => {
  it("docs/trace-events.schema.json is the current rendering of the payload schemas", () => {
    expect(JSON.parse(readFileSync(TRACE_SCHEMA_FILE, "utf8"))).toEqual(traceEventsJsonSchema());
  });

  it("docs/trace-events.md documents every kind and field, and is current", () => {
    const onDisk = readFileSync(TRACE_REFERENCE_FILE, "utf8");
    expect(onDisk).toBe(renderTraceEventsReference());
    for (const kind of TRACE_EVENT_KINDS) expect(onDisk).toContain(`## \`${kind}\``);
    expect(onDisk).not.toMatch(/\|\s+\|\n/); // no field without a meaning
  });
});
