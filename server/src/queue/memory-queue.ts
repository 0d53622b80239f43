/** In-process queue for embedded mode: same contract as BullMQ, jobs live in this process's memory. */
import { randomUUID } from "node:crypto";
import {
  HandoffError,
  type JobQueue,
  type Processor,
  type ScheduledTask,
  type WorkerHandle,
  type WorkOptions,
} from "./queue.ts";
import { DEFAULT_JOB_OPTIONS, type JobPayload, parsePayload, type QueueName } from "./queues.ts";

interface PendingJob {
  id: string;
  payload: unknown;
  attempt: number;
}

/** The jobs of one queue name: waiting jobs, the ids still live, and the worker's wake-up call. */
class Lane {
  readonly pending: PendingJob[] = [];
  readonly ids = new Set<string>();
  drain?: () => void;

  /** Same semantics as BullMQ: a live job id is not added twice. */
  add(job: PendingJob): void {
    if (this.ids.has(job.id)) return;
    this.ids.add(job.id);
    this.push(job);
  }

  push(job: PendingJob): void {
    this.pending.push(job);
    this.drain?.();
  }
}

/** One worker on a lane: at most `concurrency` jobs at once, retries with exponential backoff. */
class LaneWorker<N extends QueueName> implements WorkerHandle {
  private readonly active = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private stopping = false;

  constructor(
    private readonly name: N,
    private readonly lane: Lane,
    private readonly processor: Processor<N>,
    private readonly options: WorkOptions<N> & { backoffMs: number },
  ) {
    lane.drain = () => this.pump();
    queueMicrotask(() => this.pump());
  }

  async close(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.lane.drain = undefined;
    for (const c of this.controllers) c.abort(new HandoffError());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.active]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.options.concurrency && this.lane.pending.length > 0) {
      const job = this.lane.pending.shift();
      if (job) this.start(job);
    }
  }

  private start(job: PendingJob): void {
    const controller = new AbortController();
    this.controllers.add(controller);
    const task = this.execute(job, controller.signal);
    this.active.add(task);
    void task.finally(() => {
      this.active.delete(task);
      this.controllers.delete(controller);
      this.pump();
    });
  }

  private async execute(job: PendingJob, signal: AbortSignal): Promise<void> {
    try {
      await this.processor(parsePayload(this.name, job.payload), { jobId: job.id, attempt: job.attempt, signal });
      this.lane.ids.delete(job.id);
    } catch (error) {
      await this.failed(job, error);
    }
  }

  private async failed(job: PendingJob, error: unknown): Promise<void> {
    if (error instanceof HandoffError) {
      // Back to the queue (lost with the process in embedded mode; recovered from the database at start).
      this.lane.pending.unshift(job);
      return;
    }
    const retriable = !(error instanceof Error && error.name === "InvalidJobPayloadError");
    if (retriable && job.attempt < DEFAULT_JOB_OPTIONS.attempts && !this.stopping) {
      const delay = this.options.backoffMs * 2 ** (job.attempt - 1);
      setTimeout(() => this.lane.push({ ...job, attempt: job.attempt + 1 }), delay).unref();
      return;
    }
    this.lane.ids.delete(job.id);
    if (retriable && !this.stopping) {
      const reason = (error as Error)?.message ?? String(error);
      await this.options.onGiveUp?.(job.payload as JobPayload<N>, reason).catch(() => {});
    }
  }
}

/** Embedded mode has one process, so a timer is once per interval across all workers. */
function scheduleTimer(task: ScheduledTask, onError: (error: unknown) => void): WorkerHandle {
  let running = false;
  const tick = () => {
    if (running) return; // a slow run is not stacked under the next one, as with one BullMQ job at a time
    running = true;
    task
      .run()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, task.everyMs);
  timer.unref();
  return { close: async () => clearInterval(timer) };
}

class MemoryJobQueue implements JobQueue {
  readonly kind = "embedded" as const;
  private readonly lanes = new Map<QueueName, Lane>();
  private readonly schedules = new Set<WorkerHandle>();
  private closed = false;

  constructor(private readonly backoffMs: number) {}

  async enqueue<N extends QueueName>(name: N, payload: JobPayload<N>, opts: { jobId?: string } = {}) {
    if (this.closed) throw new Error("queue is closed");
    const data = parsePayload(name, payload);
    const id = opts.jobId ?? randomUUID();
    this.lane(name).add({ id, payload: data, attempt: 1 });
    return id;
  }

  work<N extends QueueName>(name: N, processor: Processor<N>, options: WorkOptions<N>): WorkerHandle {
    return new LaneWorker(name, this.lane(name), processor, { ...options, backoffMs: this.backoffMs });
  }

  async schedule(task: ScheduledTask, onError: (error: unknown) => void): Promise<WorkerHandle> {
    const handle = scheduleTimer(task, onError);
    this.schedules.add(handle);
    return handle;
  }

  async ping() {
    if (this.closed) throw new Error("queue is closed");
  }

  /** Waiting jobs, and the live rest (running, or waiting out a retry's backoff). */
  async jobCounts(name: QueueName) {
    const lane = this.lanes.get(name);
    const waiting = lane?.pending.length ?? 0;
    return { waiting, active: (lane?.ids.size ?? 0) - waiting };
  }

  async close() {
    this.closed = true;
    for (const s of this.schedules) await s.close();
    this.schedules.clear();
    this.lanes.clear();
  }

  private lane(name: QueueName): Lane {
    let l = this.lanes.get(name);
    if (!l) {
      l = new Lane();
      this.lanes.set(name, l);
    }
    return l;
  }
}

export function createMemoryQueue(options: { backoffMs?: number } = {}): JobQueue {
  return new MemoryJobQueue(options.backoffMs ?? DEFAULT_JOB_OPTIONS.backoff.delay);
}
