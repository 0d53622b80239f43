/**
 * The state logic of useRunEvents: resume after a drop with the last seq seen, never show an event
 * twice, and let no stopped subscription loop (StrictMode's dry run, an unmount) write the view's
 * state. The graphql-sse client is replaced by a scripted one here; the real transport is exercised
 * by the browser test that cuts the network mid-run (client/e2e/dashboard.e2e.test.ts).
 */
import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TraceEventView } from "./model.ts";
import { useRunEvents } from "./useRunEvents.ts";

interface Subscription {
  afterSeq: number;
  push(e: TraceEventView): void;
  fail(message: string): void;
  /** True once the consumer stopped reading (break or dispose). */
  closed: boolean;
}

const subscriptions: Subscription[] = [];

function scriptedIterator(afterSeq: number, onDispose: Set<() => void>): AsyncIterableIterator<unknown> {
  const queue: ({ value: unknown } | { error: Error })[] = [];
  let wake: (() => void) | null = null;
  const sub: Subscription = {
    afterSeq,
    closed: false,
    push(e) {
      queue.push({ value: { data: { runEvents: e } } });
      wake?.();
    },
    fail(message) {
      queue.push({ error: new Error(message) });
      wake?.();
    },
  };
  subscriptions.push(sub);
  const close = () => {
    sub.closed = true;
    wake?.();
  };
  onDispose.add(close);
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      while (!sub.closed && queue.length === 0) await new Promise<void>((r) => (wake = r));
      if (sub.closed) return { done: true, value: undefined };
      const item = queue.shift() as { value: unknown } | { error: Error };
      if ("error" in item) throw item.error;
      return { done: false, value: item.value };
    },
    async return() {
      close();
      return { done: true, value: undefined };
    },
  };
}

vi.mock("../../app/client.ts", () => ({
  createSubscriptionClient: () => {
    const disposers = new Set<() => void>();
    return {
      iterate: (request: { variables: { afterSeq: number } }) =>
        scriptedIterator(request.variables.afterSeq, disposers),
      dispose: () => {
        for (const d of disposers) d();
      },
    };
  },
}));

const ev = (seq: number, kind = "log"): TraceEventView => ({
  seq,
  kind,
  ts: new Date(1_700_000_000_000 + seq).toISOString(),
  stepId: null,
  payload: {},
});

function Probe() {
  const { events, connected, error } = useRunEvents("run-1");
  return (
    <div>
      <span data-testid="conn">{connected ? "live" : error ? `error: ${error}` : "off"}</span>
      <span data-testid="seqs">{events.map((e) => e.seq).join(",")}</span>
    </div>
  );
}

const live = () => subscriptions.filter((s) => !s.closed);

beforeEach(() => {
  subscriptions.length = 0;
});
afterEach(cleanup);

describe("useRunEvents", () => {
  it("under StrictMode, shows live once the surviving subscription runs, with each event once", async () => {
    render(
      <StrictMode>
        <Probe />
      </StrictMode>,
    );
    // StrictMode (development) mounts, unmounts and mounts again: one subscription is left open.
    await waitFor(() => expect(live()).toHaveLength(1));
    const sub = live()[0] as Subscription;
    act(() => {
      sub.push(ev(1, "run.started"));
      sub.push(ev(2));
    });
    await waitFor(() => expect(screen.getByTestId("seqs").textContent).toBe("1,2"));
    expect(screen.getByTestId("conn").textContent).toBe("live");
  });

  it("resumes after a drop from the last seq it saw, drops repeats, and stops at run.finished", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      render(<Probe />);
      await waitFor(() => expect(subscriptions).toHaveLength(1));
      const first = subscriptions[0] as Subscription;
      expect(first.afterSeq).toBe(0);
      act(() => {
        first.push(ev(1, "run.started"));
        first.push(ev(2));
        first.push(ev(3));
      });
      await waitFor(() => expect(screen.getByTestId("seqs").textContent).toBe("1,2,3"));

      act(() => first.fail("network error"));
      await waitFor(() => expect(screen.getByTestId("conn").textContent).toBe("error: network error"));
      await act(() => vi.advanceTimersByTimeAsync(600));
      await waitFor(() => expect(subscriptions).toHaveLength(2));
      const second = subscriptions[1] as Subscription;
      expect(second.afterSeq).toBe(3);
      act(() => {
        second.push(ev(3)); // a replayed event the view already shows
        second.push(ev(4));
        second.push(ev(5, "run.finished"));
      });
      await waitFor(() => expect(screen.getByTestId("seqs").textContent).toBe("1,2,3,4,5"));
      expect(screen.getByTestId("conn").textContent).toBe("off");
      await act(() => vi.advanceTimersByTimeAsync(10_000));
      expect(subscriptions).toHaveLength(2); // finished: no further subscription
    } finally {
      vi.useRealTimers();
    }
  });
});
