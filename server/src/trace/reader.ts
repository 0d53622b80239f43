/**
 * Replay-then-live reading of a run's trace: every event after `afterSeq`, exactly once, in order,
 * ending after `run.finished`. It subscribes before reading the database, buffers what arrives live
 * meanwhile, and drops anything at or below the last seq it yielded — so there is no gap between
 * the stored history and the live tail, and no duplicate at the seam. A live event that arrives
 * ahead of a missing seq (a publication lost in transit) triggers a re-read from the database.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { channels, eventsOf, storedEvent, TERMINAL_EVENT, type TraceEvent } from "../domain/trace/events.ts";
import type { PubSub } from "../realtime/pubsub.ts";

const toEvent = storedEvent;

export async function* readTrace(
  deps: { prisma: PrismaClient; pubsub: PubSub },
  runId: string,
  options: { afterSeq?: number; signal?: AbortSignal; pageSize?: number } = {},
): AsyncGenerator<TraceEvent> {
  let last = options.afterSeq ?? 0;
  const pageSize = options.pageSize ?? 500;
  const live: TraceEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = await deps.pubsub.subscribe(channels.events(runId), (m) => {
    live.push(...eventsOf(m));
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener("abort", onAbort);
  try {
    // Resuming at or past the end of a finished run: nothing more will ever come, so end now
    // rather than wait for events that do not exist.
    if (last > 0) {
      const end = await deps.prisma.traceEvent.findFirst({
        where: { runId, kind: TERMINAL_EVENT },
        select: { seq: true },
      });
      if (end && end.seq <= last) return;
    }
    const fromDb = async function* () {
      for (;;) {
        const rows = await deps.prisma.traceEvent.findMany({
          where: { runId, seq: { gt: last } },
          orderBy: { seq: "asc" },
          take: pageSize,
        });
        for (const row of rows) yield toEvent(row);
        if (rows.length < pageSize) return;
      }
    };
    for (;;) {
      for await (const e of fromDb()) {
        if (e.seq !== last + 1) break; // never skip: wait for the missing one to be stored
        last = e.seq;
        yield e;
        if (e.kind === TERMINAL_EVENT) return;
      }
      // Live tail.
      let gap = false;
      while (!gap) {
        if (options.signal?.aborted) return;
        const next = live.shift();
        if (!next) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 1_000).unref(); // periodic re-check of the database
          });
          wake = null;
          if (live.length === 0) gap = true; // quiet for a while: re-read the database
          continue;
        }
        if (next.seq <= last) continue;
        if (next.seq !== last + 1) {
          gap = true; // something was published out of reach: catch up from storage
          live.unshift(next);
          break;
        }
        last = next.seq;
        yield next;
        if (next.kind === TERMINAL_EVENT) return;
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await unsubscribe();
  }
}
