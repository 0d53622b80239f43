/** BullMQ on Redis: the queue for server mode, where API and workers are separate processes. */
import { Queue, type Worker } from "bullmq";
import { withTimeout } from "../realtime/pubsub.ts";
import { createRedis, type Redis } from "../realtime/redis.ts";
import { BullmqSchedules } from "./bullmq-schedules.ts";
import { type BullmqWorkerSettings, startBullmqWorker } from "./bullmq-worker.ts";
import {
  type JobQueue,
  type Processor,
  QueueUnavailableError,
  type ScheduledTask,
  type WorkerHandle,
  type WorkOptions,
} from "./queue.ts";
import { DEFAULT_JOB_OPTIONS, type JobPayload, parsePayload, type QueueName } from "./queues.ts";

export interface BullmqQueueOptions {
  prefix?: string;
  lockMs?: number;
  enqueueTimeoutMs?: number;
}

class BullmqJobQueue implements JobQueue {
  readonly kind = "redis" as const;
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers = new Set<Worker>();
  private readonly schedules: BullmqSchedules;

  constructor(
    private readonly settings: BullmqWorkerSettings,
    // Redis commands wait for a reconnect (BullMQ needs that); a request that enqueues must not.
    private readonly enqueueTimeoutMs: number,
  ) {
    this.connection = createRedis(settings.url, { connectionName: "flowtrace-queue" });
    this.connection.on("error", () => {}); // surfaced through ping()/health
    this.schedules = new BullmqSchedules({ ...settings, connection: this.connection });
  }

  async enqueue<N extends QueueName>(name: N, payload: JobPayload<N>, opts: { jobId?: string } = {}) {
    const data = parsePayload(name, payload);
    try {
      const adding = this.queue(name).add(name, data, opts.jobId ? { jobId: opts.jobId } : {});
      adding.catch(() => {}); // may still settle after the timeout below
      const job = await withTimeout(adding, this.enqueueTimeoutMs, "enqueue");
      return job.id ?? opts.jobId ?? "";
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
  }

  work<N extends QueueName>(name: N, processor: Processor<N>, options: WorkOptions<N>): WorkerHandle {
    const { worker, handle } = startBullmqWorker(this.settings, name, processor, options);
    this.workers.add(worker);
    return {
      close: async (timeoutMs?: number) => {
        this.workers.delete(worker);
        await handle.close(timeoutMs);
      },
    };
  }

  schedule(task: ScheduledTask, onError: (error: unknown) => void): Promise<WorkerHandle> {
    return this.schedules.add(task, onError);
  }

  async jobCounts(name: QueueName) {
    const counts = this.queue(name).getJobCounts("waiting", "active", "delayed", "prioritized", "failed");
    return withTimeout(counts, 2_000, "BullMQ job counts");
  }

  async ping(timeoutMs = 2_000) {
    await withTimeout(this.connection.ping(), timeoutMs, "Redis ping");
  }

  async close() {
    await Promise.allSettled([...this.workers].map((w) => w.close(true)));
    await this.schedules.close();
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => {});
    this.connection.disconnect();
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.connection,
        prefix: this.settings.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      q.on("error", () => {});
      this.queues.set(name, q);
    }
    return q;
  }
}

export function createBullmqQueue(url: string, options: BullmqQueueOptions = {}): JobQueue {
  return new BullmqJobQueue(
    { url, prefix: options.prefix ?? "flowtrace", lockMs: options.lockMs ?? 10_000 },
    options.enqueueTimeoutMs ?? 5_000,
  );
}
