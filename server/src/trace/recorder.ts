/**
 * The trace pipeline for one run: assigns each event the next per-run `seq`, persists events in
 * batches (never one round-trip per event), and publishes them only after they are stored — so any
 * event a client was shown can be read back, and a crash loses none that anyone saw. On resume the
 * sequence continues after the highest persisted `seq`, so there are no gaps and no duplicates.
 */
import { isDatabaseUnavailable, isUniqueViolation } from "../db/errors.ts";
import { Prisma, type PrismaClient } from "../db/prisma.ts";
import { prismaWriter, type SqlWriter } from "../db/sql-writer.ts";
import { toStorable } from "../domain/storable-json.ts";
import {
  channels,
  type DeltaEvent,
  type TraceEvent,
  type TraceEventKind,
  type TracePayload,
} from "../domain/trace/events.ts";
import { boundPayload } from "../domain/trace/truncate.ts";
import type { PubSub } from "../realtime/pubsub.ts";

/** Back-off between attempts to store a batch while the database is unreachable (~8 s in all). */
const RETRY_DELAYS_MS = [100, 200, 400, 800, 1_500, 2_000, 3_000];

/**
 * Another executor stored different events of this run under the same seqs: two executors are
 * running one run (a queue that lost a lock handed the job out twice). The first writer of a seq
 * wins; this recorder's executor must stop without writing anything more.
 */
export class TraceConflictError extends Error {
  override readonly name = "TraceConflictError";
  constructor(runId: string, seq: number) {
    super(`run ${runId}: another executor already stored event ${seq}; this one stops`);
  }
}

export interface RecorderOptions {
  /** Flush when this many events are waiting. */
  batchSize?: number;
  /** Flush at most this long after the first waiting event. */
  flushIntervalMs?: number;
  /** Live text is sent at most this often per run (a message per token would cost a write each). */
  deltaIntervalMs?: number;
  /** Told each batch once it is stored (metrics, OpenTelemetry spans); never fails or slows the run. */
  observer?: TraceObserver;
  /** Where the batch statements go (default: through Prisma). */
  writer?: SqlWriter;
  /** Applied to every payload before it is stored: removes the run's secret values (engine/run-secrets.ts). */
  redact?: <T>(payload: T) => T;
}

/** What a step writes to its run's trace: events, live text, and a flush. */
export type StepRecorder = Pick<TraceRecorder, "emit" | "delta" | "flush">;

export type TraceObserver = (events: readonly TraceEvent[]) => void;

/** Send buffered live text at once past this many characters. */
const DELTA_MAX_CHARS = 4_096;

export class TraceRecorder {
  private buffer: TraceEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  private failureListeners: ((error: unknown) => void)[] = [];
  /** Live text not sent yet, per step, in arrival order. */
  private deltas = new Map<string, string>();
  private deltaChars = 0;
  private deltaTimer: NodeJS.Timeout | undefined;
  /** Step row writes that go with the next batch, in the same statement (one per step: the latest). */
  private rowWrites = new Map<string, Prisma.Sql>();
  readonly emitted: TraceEvent[] = [];

  private constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: PubSub,
    readonly runId: string,
    private seq: number,
    private readonly options: Required<Omit<RecorderOptions, "observer" | "redact">> &
      Pick<RecorderOptions, "observer" | "redact">,
  ) {}

  static async open(prisma: PrismaClient, pubsub: PubSub, runId: string, options: RecorderOptions = {}) {
    const last = await prisma.traceEvent.aggregate({ where: { runId }, _max: { seq: true } });
    return new TraceRecorder(prisma, pubsub, runId, last._max.seq ?? 0, {
      batchSize: options.batchSize ?? 64,
      flushIntervalMs: options.flushIntervalMs ?? 25,
      deltaIntervalMs: options.deltaIntervalMs ?? 20,
      observer: options.observer,
      writer: options.writer ?? prismaWriter(prisma),
      redact: options.redact,
    });
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Record an event; its payload is typed by the kind's schema (domain/trace/payloads.ts). */
  emit<K extends TraceEventKind>(kind: K, stepId: string | null, payload: TracePayload<K>): TraceEvent {
    if (this.failed) throw this.failed;
    if (this.deltas.size > 0) this.sendDeltas();
    const event: TraceEvent = {
      runId: this.runId,
      stepId,
      seq: ++this.seq,
      ts: new Date().toISOString(),
      kind,
      // The emitted payload, bounded at 64 KiB per value (cut fields listed in `truncated`).
      payload: toStorable(boundPayload(this.options.redact?.(payload) ?? (payload as Record<string, unknown>))),
    } as TraceEvent;
    this.buffer.push(event);
    this.emitted.push(event);
    if (this.buffer.length >= this.options.batchSize) void this.flush().catch(() => {});
    else this.scheduleFlush();
    return event;
  }

  private scheduleFlush(): void {
    this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.options.flushIntervalMs);
  }

  /**
   * Write a step's row in the same statement as the next batch of events (an `UPDATE run_steps …`
   * without RETURNING): one round trip, and the batch is published only once the row is written
   * too. A later write for the same step replaces one still waiting (the final row supersedes the
   * running mark). The caller's `flush()` resolves once it is stored.
   */
  writeStepRow(stepId: string, update: Prisma.Sql): void {
    if (this.failed) throw this.failed;
    this.rowWrites.set(stepId, update);
    this.scheduleFlush();
  }

  /**
   * Ephemeral partial output, never stored. Coalesced: the text of one step that arrives within
   * `deltaIntervalMs` goes out as one message (a streamed answer yields a chunk per token), and what
   * is waiting is sent before the step's next stored event.
   */
  delta(stepId: string, text: string): void {
    this.deltas.set(stepId, (this.deltas.get(stepId) ?? "") + text);
    this.deltaChars += text.length;
    if (this.deltaChars >= DELTA_MAX_CHARS) this.sendDeltas();
    else this.deltaTimer ??= setTimeout(() => this.sendDeltas(), this.options.deltaIntervalMs);
  }

  private sendDeltas(): void {
    clearTimeout(this.deltaTimer);
    this.deltaTimer = undefined;
    if (this.deltas.size === 0) return;
    const ts = new Date().toISOString();
    for (const [stepId, text] of this.deltas) {
      const event: DeltaEvent = { runId: this.runId, stepId, kind: "llm.delta", ts, text };
      void this.pubsub.publish(channels.deltas(this.runId), event).catch(() => {});
    }
    this.deltas.clear();
    this.deltaChars = 0;
  }

  /**
   * Persist everything emitted so far, then publish it in order. `publishAfter`: other writes this
   * batch must not be seen before (a step's final row), done meanwhile — the batch is published only
   * once they are stored too, and the flush fails if they do.
   */
  flush(options: { publishAfter?: Promise<unknown> } = {}): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    const rows = [...this.rowWrites.values()];
    this.buffer = [];
    this.rowWrites.clear();
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0 && rows.length === 0) {
        await options.publishAfter;
        return;
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await this.insert(batch, rows);
          break;
        } catch (error) {
          // The database is briefly away: retry the same rows (same seqs) for up to ~8 s.
          const delay = RETRY_DELAYS_MS[attempt - 1];
          if (delay !== undefined && isDatabaseUnavailable(error)) {
            await new Promise((r) => setTimeout(r, delay));
            continue;
          }
          this.failed = error;
          for (const listener of this.failureListeners) listener(error);
          throw error;
        }
      }
      await options.publishAfter;
      try {
        this.options.observer?.(batch);
      } catch {
        // Telemetry never fails a run.
      }
      if (batch.length === 0) return;
      // Published after the rows are stored, as one message per flush (events in seq order; one
      // connection keeps them in order without waiting). Not awaited: while the broker is away the
      // run goes on, and readers fill any gap from storage.
      void this.pubsub.publish(channels.events(this.runId), batch).catch(() => {});
    });
    return this.flushing;
  }

  /** Called once if storing events fails for good (a conflict with another executor among others). */
  onFailure(listener: (error: unknown) => void): void {
    this.failureListeners.push(listener);
  }

  /**
   * One statement per batch: the rows travel as a single JSON parameter (much faster than createMany),
   * the waiting step row writes ride along as data-modifying CTEs (one round trip per step).
   * All or nothing: a seq already stored fails the whole statement (nothing of it is written, step
   * rows included). If every one of the batch's seqs is stored as this recorder emitted it, that
   * was its own commit whose answer was lost (a retry); anything else means another executor is
   * writing this run — and, the statement being atomic, two executors can never both end up
   * with a part of the trace (the first writer of a seq keeps the run).
   */
  private async insert(batch: TraceEvent[], rows: Prisma.Sql[] = []): Promise<void> {
    const ctes = rows.map((update, i) => Prisma.sql`${Prisma.raw(`step_row_${i}`)} AS (${update})`);
    const withRows = ctes.length > 0 ? Prisma.sql`WITH ${Prisma.join(ctes, ", ")} ` : Prisma.empty;
    if (batch.length === 0) {
      await this.options.writer.execute(Prisma.sql`${withRows}SELECT 1`);
      return;
    }
    try {
      await this.options.writer.execute(Prisma.sql`${withRows}
        INSERT INTO trace_events (run_id, step_id, seq, ts, kind, payload)
        SELECT e.run_id::uuid, e.step_id::uuid, e.seq, e.ts::timestamptz, e.kind, e.payload
        FROM jsonb_to_recordset(${JSON.stringify(
          batch.map((e) => ({
            run_id: e.runId,
            step_id: e.stepId,
            seq: e.seq,
            ts: e.ts,
            kind: e.kind,
            payload: e.payload,
          })),
        )}::jsonb) AS e(run_id text, step_id text, seq int, ts text, kind text, payload jsonb)`);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.assertStoredAsOurs(batch);
    }
  }

  /** After a seq conflict: fine if the whole batch is stored exactly as emitted here, else a conflict. */
  private async assertStoredAsOurs(batch: TraceEvent[]): Promise<void> {
    const ours = new Map(batch.map((e) => [e.seq, e]));
    const stored = await this.prisma.traceEvent.findMany({
      where: { runId: this.runId, seq: { in: [...ours.keys()] } },
      select: { seq: true, ts: true, kind: true, stepId: true },
    });
    const storedSeqs = new Set(stored.map((r) => r.seq));
    const missing = batch.find((e) => !storedSeqs.has(e.seq));
    const differs = stored.find((row) => {
      const mine = ours.get(row.seq);
      return !mine || row.kind !== mine.kind || row.stepId !== mine.stepId || row.ts.toISOString() !== mine.ts;
    });
    const conflict = differs ?? (missing ? stored[0] : undefined);
    if (conflict) throw new TraceConflictError(this.runId, conflict.seq);
  }

  async close(): Promise<void> {
    this.sendDeltas();
    await this.flush();
  }
}
