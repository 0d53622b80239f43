/**
 * Follows `runEvents` over graphql-sse. After a network drop it reconnects with the last seq it saw
 * (`afterSeq`), so no event is lost or shown twice.
 */
import type { ResultOf } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { useEffect, useState } from "react";
import { createSubscriptionClient } from "../../app/client.ts";
import { RunEventsSubscription } from "./documents.ts";
import { type TraceEventView, toEventView } from "./model.ts";

interface Listener {
  events(items: TraceEventView[]): void;
  connected(value: boolean): void;
  error(message: string | null): void;
}

/**
 * One run's event stream: subscribes, batches renders (thousands of events arrive in bursts on
 * replay), resubscribes after a drop with a growing pause, and stops at `run.finished`. Once
 * stopped (the run changed, the view unmounted, StrictMode's dry run) it tells the listener nothing.
 */
class RunEventFollower {
  private stopped = false;
  private lastSeq = 0;
  private batch: TraceEventView[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly client = createSubscriptionClient();

  constructor(
    private readonly runId: string,
    private readonly listener: Listener,
  ) {}

  async start() {
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 5_000)) {
      if (await this.follow()) return;
      // What arrived before the drop is shown; the next subscription resumes after it.
      this.flush();
      this.tell((l) => l.connected(false));
      if (this.stopped) return;
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  stop() {
    this.stopped = true;
    this.client.dispose();
  }

  private tell(say: (l: Listener) => void) {
    if (!this.stopped) say(this.listener);
  }

  private flush = () => {
    const items = this.batch;
    this.batch = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (items.length) this.tell((l) => l.events(items));
  };

  /** One subscription; true when the run finished (nothing more to follow). */
  private async follow(): Promise<boolean> {
    try {
      const sub = this.client.iterate<ResultOf<typeof RunEventsSubscription>>({
        query: print(RunEventsSubscription),
        variables: { runId: this.runId, afterSeq: this.lastSeq },
      });
      this.tell((l) => {
        l.connected(true);
        l.error(null);
      });
      for await (const result of sub) {
        if (this.stopped) return true;
        const e = result.data?.runEvents;
        if (!e || e.seq <= this.lastSeq) continue;
        this.lastSeq = e.seq;
        this.batch.push(toEventView(e));
        this.timer ??= setTimeout(this.flush, 50);
        if (e.kind === "run.finished") {
          this.flush();
          this.tell((l) => l.connected(false));
          return true;
        }
      }
    } catch (e) {
      this.tell((l) => l.error(e instanceof Error ? e.message : "connection lost"));
    }
    return false;
  }
}

export function useRunEvents(runId: string) {
  const [events, setEvents] = useState<TraceEventView[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setEvents([]);
    const follower = new RunEventFollower(runId, {
      events: (items) => setEvents((prev) => [...prev, ...items]),
      connected: setConnected,
      error: setError,
    });
    void follower.start();
    return () => follower.stop();
  }, [runId]);
  return { events, connected, error };
}
