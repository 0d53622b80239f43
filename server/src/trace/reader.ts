/**
 * Replay-then-live reading of a run's trace: every event after `afterSeq`, exactly once, in order,
 * ending after `run.finished`. It subscribes before reading the database, buffers what arrives live
 * meanwhile, and drops anything at or below the last seq it yielded — so there is no gap between
 * the stored history and the live tail, and no duplicate at the seam. A live event that arrives
 * ahead of a missing seq (a publication lost in transit) triggers a re-read from the database.
 *
 * `readTraceBatches` yields the events in runs (a stored page, or what arrived live together) so a
 * transport can write each run in one go, each event in the form its `TraceForm` gives (the event
 * object, or its SSE JSON built by PostgreSQL); `readTrace` yields event objects one by one.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { channels, eventsOf, storedEvent, TERMINAL_EVENT, type TraceEvent } from "../domain/trace/events.ts";
import type { PubSub } from "../realtime/pubsub.ts";

export interface ReadOptions {
  afterSeq?: number;
  signal?: AbortSignal;
  pageSize?: number;
}
type Deps = { prisma: PrismaClient; pubsub: PubSub };

/** What the reader needs of an event, whatever form it is read in. */
export interface TraceItem {
  seq: number;
  kind: string;
}

/** How a reader's events are read from storage and made from live publications. */
export interface TraceForm<T extends TraceItem> {
  stored(prisma: PrismaClient, runId: string, afterSeq: number, limit: number): Promise<T[]>;
  live(event: TraceEvent): T;
}

/** Events as objects (GraphQL resolves fields of them). */
export const eventObjects: TraceForm<TraceEvent> = {
  stored: async (prisma, runId, afterSeq, limit) =>
    (
      await prisma.traceEvent.findMany({
        where: { runId, seq: { gt: afterSeq } },
        orderBy: { seq: "asc" },
        take: limit,
      })
    ).map(storedEvent),
  live: (event) => event,
};

/** The live side: events as published, and a way to wait for more (woken early by an abort). */
class LiveBuffer<T extends TraceItem> {
  readonly events: T[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly form: (event: TraceEvent) => T) {}

  push(message: unknown): void {
    for (const event of eventsOf(message)) this.events.push(this.form(event));
    this.wake?.();
  }

  poke = (): void => this.wake?.();

  /** Wait for a publication, at most `ms` (then the caller re-checks the database). */
  async waitFor(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      setTimeout(resolve, ms).unref();
    });
    this.wake = null;
  }
}

/** Resuming at or past the end of a finished run: nothing more will ever come. */
async function endedBefore(prisma: PrismaClient, runId: string, last: number): Promise<boolean> {
  if (last === 0) return false;
  const end = await prisma.traceEvent.findFirst({ where: { runId, kind: TERMINAL_EVENT }, select: { seq: true } });
  return end !== null && end.seq <= last;
}

/** The contiguous run of events that follows `last` (stops at a gap or at the end of the trace). */
function contiguous<T extends TraceItem>(events: readonly T[], last: number): { run: T[]; ended: boolean } {
  const run: T[] = [];
  let next = last + 1;
  for (const e of events) {
    if (e.seq < next) continue;
    if (e.seq !== next) break; // never skip: wait for the missing one to be stored
    run.push(e);
    next++;
    if (e.kind === TERMINAL_EVENT) return { run, ended: true };
  }
  return { run, ended: false };
}

export async function* readTraceBatches<T extends TraceItem>(
  deps: Deps,
  runId: string,
  form: TraceForm<T>,
  options: ReadOptions = {},
): AsyncGenerator<T[]> {
  let last = options.afterSeq ?? 0;
  const pageSize = options.pageSize ?? 2_000;
  const live = new LiveBuffer(form.live);
  const unsubscribe = await deps.pubsub.subscribe(channels.events(runId), (m) => live.push(m));
  options.signal?.addEventListener("abort", live.poke);
  try {
    if (await endedBefore(deps.prisma, runId, last)) return;
    for (;;) {
      const before = last;
      // Stored history, page by page, until a page ends short or at a gap.
      for (;;) {
        const rows = await form.stored(deps.prisma, runId, last, pageSize);
        const { run, ended } = contiguous(rows, last);
        if (run.length > 0) {
          last = (run.at(-1) as T).seq;
          yield run;
        }
        if (ended) return;
        if (rows.length < pageSize || run.length < rows.length) break;
      }
      // Live tail, until quiet for a while or a gap: then re-read the database.
      for (;;) {
        if (options.signal?.aborted) return;
        if (live.events.length === 0) await live.waitFor(1_000);
        if (live.events.length === 0) break;
        const arrived = live.events.splice(0);
        const { run, ended } = contiguous(arrived, last);
        if (run.length > 0) {
          last = (run.at(-1) as T).seq;
          yield run;
        }
        if (ended) return;
        const ahead = arrived.filter((e) => e.seq > last);
        if (ahead.length > 0) {
          live.events.unshift(...ahead); // something was published out of reach: catch up from storage
          // The storage had nothing new either last time: give the missing event time to be stored.
          if (last === before) await live.waitFor(50);
          break;
        }
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", live.poke);
    await unsubscribe();
  }
}

export async function* readTrace(deps: Deps, runId: string, options: ReadOptions = {}): AsyncGenerator<TraceEvent> {
  for await (const batch of readTraceBatches(deps, runId, eventObjects, options)) yield* batch;
}
