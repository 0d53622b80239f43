/**
 * Maintenance on BullMQ job schedulers: every process upserts the same scheduler ids on one
 * `maintenance` queue, BullMQ adds one job per interval, and whichever process's worker takes it
 * runs the task — once per interval across all workers, instead of once per process.
 */
import { Queue, Worker } from "bullmq";
import { createRedis, type Redis } from "../realtime/redis.ts";
import type { ScheduledTask, WorkerHandle } from "./queue.ts";

export const MAINTENANCE_QUEUE = "maintenance";

export class BullmqSchedules {
  private readonly tasks = new Map<string, { task: ScheduledTask; onError: (error: unknown) => void }>();
  private queue?: Queue;
  private worker?: Worker;
  private workerConnection?: Redis;

  constructor(private readonly settings: { url: string; prefix: string; connection: Redis }) {}

  async add(task: ScheduledTask, onError: (error: unknown) => void): Promise<WorkerHandle> {
    this.tasks.set(task.name, { task, onError });
    this.ensureWorker();
    await this.maintenanceQueue().upsertJobScheduler(
      task.name,
      { every: task.everyMs },
      { name: task.name, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
    );
    return { close: async () => void this.tasks.delete(task.name) };
  }

  async close(): Promise<void> {
    this.tasks.clear();
    await this.worker?.close(true).catch(() => {});
    this.workerConnection?.disconnect();
    await this.queue?.close().catch(() => {});
  }

  private maintenanceQueue(): Queue {
    if (!this.queue) {
      this.queue = new Queue(MAINTENANCE_QUEUE, { connection: this.settings.connection, prefix: this.settings.prefix });
      this.queue.on("error", () => {});
    }
    return this.queue;
  }

  private ensureWorker(): void {
    if (this.worker) return;
    this.workerConnection = createRedis(this.settings.url, { connectionName: "flowtrace-worker-maintenance" });
    this.workerConnection.on("error", () => {});
    this.worker = new Worker(MAINTENANCE_QUEUE, async (job) => this.runTask(job.name), {
      connection: this.workerConnection,
      prefix: this.settings.prefix,
      concurrency: 1,
    });
    this.worker.on("error", () => {});
  }

  /** A task this process no longer (or never) registered is skipped: another process runs it next time. */
  private async runTask(name: string): Promise<void> {
    const entry = this.tasks.get(name);
    if (!entry) return;
    try {
      await entry.task.run();
    } catch (error) {
      entry.onError(error);
    }
  }
}
