/**
 * Follows `runEvents` over graphql-sse. After a network drop it reconnects with the last seq it saw
 * (`afterSeq`), so no event is lost or shown twice.
 */
import type { ResultOf } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { useEffect, useRef, useState } from "react";
import { createSubscriptionClient } from "../../app/client.ts";
import { RunEventsSubscription } from "../../app/documents.ts";
import { type TraceEventView, toEventView } from "./model.ts";

export function useRunEvents(runId: string) {
  const [events, setEvents] = useState<TraceEventView[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lastSeq = useRef(0);

  useEffect(() => {
    // A stopped loop (the run changed, the view unmounted, or StrictMode's dry run in development)
    // may still be settling; it must not write this view's state.
    let stopped = false;
    const connectedIf = (value: boolean) => {
      if (!stopped) setConnected(value);
    };
    lastSeq.current = 0;
    setEvents([]);
    const client = createSubscriptionClient();
    (async () => {
      let delay = 500;
      while (!stopped) {
        let batch: TraceEventView[] = [];
        let timer: ReturnType<typeof setTimeout> | null = null;
        const flush = () => {
          const items = batch;
          batch = [];
          if (timer) clearTimeout(timer);
          timer = null;
          if (items.length && !stopped) setEvents((prev) => [...prev, ...items]);
        };
        try {
          const sub = client.iterate<ResultOf<typeof RunEventsSubscription>>({
            query: print(RunEventsSubscription),
            variables: { runId, afterSeq: lastSeq.current },
          });
          connectedIf(true);
          if (!stopped) setError(null);
          for await (const result of sub) {
            if (stopped) break;
            const e = result.data?.runEvents;
            if (!e || e.seq <= lastSeq.current) continue;
            lastSeq.current = e.seq;
            batch.push(toEventView(e));
            // Batch renders: thousands of events arrive in bursts on replay.
            timer ??= setTimeout(flush, 50);
            if (e.kind === "run.finished") {
              flush();
              connectedIf(false);
              return;
            }
          }
        } catch (e) {
          if (!stopped) setError(e instanceof Error ? e.message : "connection lost");
        }
        // What arrived before the drop is shown; the next subscription resumes after it.
        flush();
        connectedIf(false);
        if (stopped) return;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    })();
    return () => {
      stopped = true;
      client.dispose();
    };
  }, [runId]);

  return { events, connected, error };
}
