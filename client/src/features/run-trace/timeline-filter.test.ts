import { describe, expect, it } from "vitest";
import type { TraceEventView } from "./model.ts";
import { ev } from "./test-events.ts";
import { filterEvents, NO_FILTER, seqFromHash } from "./timeline-filter.ts";

const events = [
  ev(1, "run.started", null),
  ev(2, "llm.request", "s1", { prompt: "Tell me about Paris" }),
  ev(3, "retry", "s1", { message: "HTTP 503" }),
  ev(4, "llm.response", "s1", { text: "Paris is the capital" }),
  ev(5, "llm.request", "s2", { prompt: "Summarise" }),
  ev(6, "log", "s2", { level: "warn", message: "no price" }),
  ev(7, "run.finished", null, { status: "succeeded" }),
];
const seqs = (list: TraceEventView[]) => list.map((e) => e.seq);

describe("timeline filter", () => {
  it("shows everything without a filter", () => {
    expect(filterEvents(events, NO_FILTER)).toBe(events);
  });
  it("filters by kind, by step, errors only, and searches payloads case-insensitively", () => {
    expect(seqs(filterEvents(events, { ...NO_FILTER, kind: "llm.request" }))).toEqual([2, 5]);
    expect(seqs(filterEvents(events, { ...NO_FILTER, stepId: "s1" }))).toEqual([2, 3, 4]);
    expect(seqs(filterEvents(events, { ...NO_FILTER, errorsOnly: true }))).toEqual([3, 6]);
    expect(seqs(filterEvents(events, { ...NO_FILTER, query: "PARIS" }))).toEqual([2, 4]);
    expect(seqs(filterEvents(events, { ...NO_FILTER, query: "paris", kind: "llm.response" }))).toEqual([4]);
  });
  it("reads a deep link", () => {
    expect(seqFromHash("#seq=17")).toBe(17);
    expect(seqFromHash("#seq=abc")).toBeNull();
    expect(seqFromHash("")).toBeNull();
  });
});
