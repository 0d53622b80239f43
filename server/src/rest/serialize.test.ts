import { describe, expect, it } from "vitest";
import { llmResponsePayload } from "../../test/helpers/payloads.ts";
import type { TraceEvent } from "../domain/trace/events.ts";
import { serializedEventJson, serializeEvent } from "./serialize.ts";

const event = (seq: number): TraceEvent => ({
  runId: "r",
  stepId: "s",
  seq,
  ts: "2026-11-24T10:00:00.000Z",
  kind: "llm.response",
  payload: llmResponsePayload("hello"),
});

describe("serializedEventJson", () => {
  it("is the spec's event shape as JSON, built once per event object", () => {
    const e = event(7);
    const json = serializedEventJson(e);
    expect(JSON.parse(json)).toEqual(serializeEvent(e));
    expect(JSON.parse(json)).toEqual({
      seq: 7,
      ts: "2026-11-24T10:00:00.000Z",
      kind: "llm.response",
      step_id: "s",
      payload: llmResponsePayload("hello"),
    });
    const stringify = JSON.stringify;
    let calls = 0;
    JSON.stringify = ((...args: Parameters<typeof stringify>) => {
      calls++;
      return stringify(...args);
    }) as typeof JSON.stringify;
    try {
      expect(serializedEventJson(e)).toBe(json); // the same event again: no new serialisation
      expect(calls).toBe(0);
      serializedEventJson(event(7)); // an equal but distinct object is serialised on its own
      expect(calls).toBe(1);
    } finally {
      JSON.stringify = stringify;
    }
  });
});
