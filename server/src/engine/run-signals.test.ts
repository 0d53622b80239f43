import { describe, expect, it } from "vitest";
import { HandoffError } from "../domain/handoff.ts";
import { channels } from "../domain/trace/events.ts";
import { createMemoryPubSub } from "../realtime/memory-pubsub.ts";
import { TraceConflictError } from "../trace/recorder.ts";
import { LimitExceededError } from "./budget.ts";
import { CanceledError, RunSignals } from "./run-signals.ts";

function recorderStub() {
  const listeners: ((e: unknown) => void)[] = [];
  return {
    onFailure: (l: (e: unknown) => void) => {
      listeners.push(l);
    },
    fail: (e: unknown) => {
      for (const l of listeners) l(e);
    },
  };
}

const open = (pubsub = createMemoryPubSub(), options = {}, run = { startedAt: new Date(), timeoutSeconds: 60 }) => {
  const recorder = recorderStub();
  return RunSignals.open({ pubsub, recorder }, "run-1", run, options).then((s) => ({ s, pubsub, recorder }));
};

describe("RunSignals", () => {
  it("stops on a cancel sent over pub/sub, and no longer listens once disposed", async () => {
    const { s, pubsub } = await open();
    expect(s.signal.aborted).toBe(false);
    await pubsub.publish(channels.control("run-1"), { type: "cancel" });
    await new Promise((r) => setTimeout(r, 0));
    expect(s.reason).toBeInstanceOf(CanceledError);
    await s.dispose();

    const { s: other, pubsub: ps } = await open();
    await other.dispose();
    await ps.publish(channels.control("run-1"), { type: "cancel" });
    await new Promise((r) => setTimeout(r, 0));
    expect(other.signal.aborted).toBe(false);
  });

  it("hands off, cancels for the caller, and keeps the first reason", async () => {
    const handoff = new AbortController();
    const cancel = new AbortController();
    const { s } = await open(undefined, { handoff: handoff.signal, signal: cancel.signal });
    handoff.abort();
    cancel.abort();
    expect(s.reason).toBeInstanceOf(HandoffError);
    await s.dispose();
    const { s: already } = await open(undefined, { signal: AbortSignal.abort() });
    expect(already.reason).toBeInstanceOf(CanceledError);
    await already.dispose();
  });

  it("trips the deadline counted from the run's first start, and stops for another executor", async () => {
    const { s } = await open(undefined, {}, { startedAt: new Date(Date.now() - 5_000), timeoutSeconds: 5 });
    await new Promise((r) => setTimeout(r, 10));
    expect(s.reason).toBeInstanceOf(LimitExceededError);
    expect((s.reason as Error).message).toBe("run exceeded its 5 s deadline (limits.timeoutSeconds)");
    await s.dispose();
    const { s: claimed, recorder } = await open();
    recorder.fail(new TraceConflictError("run-1", 7));
    expect(claimed.reason).toBeInstanceOf(TraceConflictError);
    await claimed.dispose();
  });
});
