/**
 * The job queue interface. BullMQ on Redis implements it in server mode (`bullmq-queue.ts`);
 * an in-process queue implements it in embedded mode (`memory-queue.ts`).
 */
import type { JobPayload, QueueName } from "./queues.ts";

export interface JobContext {
  readonly jobId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Fires with a HandoffError when the worker shuts down: stop, leave the work resumable, and throw. */
  readonly signal: AbortSignal;
}

/** The queue did not take a job in time (Redis unreachable): nothing was enqueued that anyone waits for. */
export class QueueUnavailableError extends Error {
  override readonly name = "QueueUnavailableError";
  constructor(cause: unknown) {
    super("the job queue is unavailable", { cause });
  }
}

/** The reason a job's signal fires on graceful shutdown: the job goes back to the queue for another worker. */
export { HandoffError } from "../domain/handoff.ts";

export type Processor<N extends QueueName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<void>;

export interface WorkOptions<N extends QueueName> {
  concurrency: number;
  /**
   * Called once when the queue stops retrying a job: its attempts are used up, or its worker was
   * lost too many times in a row. The job will not run again; record why.
   */
  onGiveUp?: (payload: JobPayload<N>, reason: string) => Promise<void>;
}

export interface WorkerHandle {
  /** Stop taking jobs, signal the active ones to hand back, and wait for them (up to the timeout). */
  close(timeoutMs?: number): Promise<void>;
}

/** Maintenance that must run once per interval across every process sharing the queue. */
export interface ScheduledTask {
  /** Unique per task; processes that schedule the same name share one schedule. */
  readonly name: string;
  readonly everyMs: number;
  run(): Promise<void>;
}

export interface JobQueue {
  readonly kind: "redis" | "embedded";
  /** Validates the payload against the queue's schema, then enqueues. Returns the job id. */
  enqueue<N extends QueueName>(name: N, payload: JobPayload<N>, options?: { jobId?: string }): Promise<string>;
  work<N extends QueueName>(name: N, processor: Processor<N>, options: WorkOptions<N>): WorkerHandle;
  /**
   * Run a task every `everyMs`, once per interval however many processes schedule it (a BullMQ job
   * scheduler in server mode: whichever worker takes the interval's job runs it; a timer in embedded
   * mode, where there is one process). A failing run is reported to `onError` and the schedule goes on.
   */
  schedule(task: ScheduledTask, onError: (error: unknown) => void): Promise<WorkerHandle>;
  /** How many of a queue's jobs are in each state (waiting, active, …), for metrics. */
  jobCounts(name: QueueName): Promise<Record<string, number>>;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}
