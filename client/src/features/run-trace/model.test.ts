import { describe, expect, it } from "vitest";
import { applyEvent, buildRunView, describeEvent, emptyRunView } from "./model.ts";
import { ev } from "./test-events.ts";

const steps = [
  { id: "s1", nodeId: "summarize", status: "queued" },
  { id: "s2", nodeId: "deep", status: "queued" },
];

describe("run view model", () => {
  it("shows an approval step waiting, then decided with its branch", () => {
    const requested = ev(3, "approval.requested", "s1", {
      nodeId: "summarize",
      approvalId: "a1",
      message: "Publish?",
      inputs: { draft: "text" },
      deadline: null,
      onTimeout: "fail",
    });
    const waiting = buildRunView(steps, [ev(2, "step.started", "s1", { nodeId: "summarize" }), requested]);
    expect(waiting.steps.get("summarize")).toMatchObject({
      state: "waiting",
      approval: { message: "Publish?", inputs: { draft: "text" }, deadline: null },
    });
    const resolved = ev(4, "approval.resolved", "s1", {
      nodeId: "summarize",
      approvalId: "a1",
      decision: "rejected",
      comment: "not yet",
      decidedBy: "dana",
      decidedAt: "2026-12-04T10:00:00.000Z",
      waitedMs: 1200,
    });
    const decided = buildRunView(steps, [requested, resolved]);
    expect(decided.steps.get("summarize")).toMatchObject({
      state: "running",
      branch: "rejected",
      approval: { decision: "rejected", decidedBy: "dana", comment: "not yet" },
    });
    expect(describeEvent(resolved, decided.nodeOf)).toBe("summarize: rejected by dana — “not yet”");
  });

  it("tracks node states, attempts, fallbacks and cache hits", () => {
    const view = buildRunView(steps, [
      ev(1, "run.started", null, { simulated: true }),
      ev(2, "step.started", "s1", { nodeId: "summarize" }),
      ev(3, "llm.request", "s1", { provider: "openai", model: "gpt-4o-mini", attempt: 1, cacheKey: "abc" }),
      ev(4, "retry", "s1", {
        provider: "openai",
        model: "gpt-4o-mini",
        attempt: 1,
        kind: "server",
        message: "openai answered 500",
        willRetry: false,
      }),
      ev(5, "fallback", "s1", {
        from: { provider: "openai", model: "gpt-4o-mini" },
        to: { provider: "anthropic", model: "claude" },
        cause: { kind: "server", message: "openai answered 500" },
      }),
      ev(6, "llm.response", "s1", {
        provider: "anthropic",
        model: "claude",
        attempt: 1,
        latencyMs: 120,
        usage: { outputTokens: 9 },
      }),
      ev(7, "step.finished", "s1", {
        nodeId: "summarize",
        latencyMs: 130,
        tokensInput: 10,
        tokensOutput: 9,
        costCents: "0.001",
        output: "hi",
      }),
      ev(8, "step.started", "s2", { nodeId: "deep" }),
      ev(9, "cache.hit", "s2", { key: "k2", savedCostCents: "0.5" }),
      ev(10, "step.finished", "s2", { nodeId: "deep", cached: true, costCents: "0" }),
      ev(11, "run.finished", null, { status: "succeeded" }),
    ]);
    const s = view.steps.get("summarize");
    expect(s?.state).toBe("succeeded");
    expect(s?.attempts.map((a) => [a.provider, a.ok])).toEqual([
      ["openai", false],
      ["anthropic", true],
    ]);
    expect(s?.fallbacks).toEqual([
      { from: "openai/gpt-4o-mini", to: "anthropic/claude", cause: "openai answered 500" },
    ]);
    expect(s?.costCents).toBe("0.001");
    expect(view.steps.get("deep")?.state).toBe("cached");
    expect(view).toMatchObject({
      retries: 1,
      fallbacks: 1,
      cacheHits: 1,
      cacheSavedCents: 0.5,
      simulated: true,
      finished: true,
      lastSeq: 11,
    });
  });

  it("ignores repeated or older events (reconnects never double-count)", () => {
    const view = emptyRunView(steps);
    applyEvent(view, ev(1, "retry", "s1", { nodeId: "summarize" }));
    applyEvent(view, ev(1, "retry", "s1", { nodeId: "summarize" }));
    expect(view.retries).toBe(1);
  });

  it("describes events for the timeline", () => {
    const nodeOf = new Map([["s1", "summarize"]]);
    expect(describeEvent(ev(1, "llm.request", "s1", { provider: "openai", model: "m", attempt: 2 }), nodeOf)).toBe(
      "summarize: → openai/m (attempt 2)",
    );
    expect(describeEvent(ev(2, "run.finished", null, { status: "failed", error: "limit.tokens: x" }), nodeOf)).toBe(
      "run failed — limit.tokens: x",
    );
  });
});
