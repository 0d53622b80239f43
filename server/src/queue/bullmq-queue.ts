/** BullMQ on Redis: the queue for server mode, where API and workers are separate processes. */
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { withTimeout } from "../realtime/pubsub.ts";
import { createRedis, type Redis } from "../realtime/redis.ts";
import { HandoffError, type JobQueue, type Processor, type WorkerHandle } from "./queue.ts";
import { DEFAULT_JOB_OPTIONS, InvalidJobPayloadError, parsePayload, type QueueName } from "./queues.ts";

export function createBullmqQueue(url: string, options: { prefix?: string } = {}): JobQueue {
  const prefix = options.prefix ?? "flowtrace";
  const connection: Redis = createRedis(url, { connectionName: "flowtrace-queue" });
  connection.on("error", () => {}); // surfaced through ping()/health
  const queues = new Map<QueueName, Queue>();
  const workers = new Set<Worker>();

  const queue = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      q.on("error", () => {});
      queues.set(name, q);
    }
    return q;
  };

  return {
    kind: "redis",
    async enqueue(name, payload, opts = {}) {
      const data = parsePayload(name, payload);
      const job = await queue(name).add(name, data, opts.jobId ? { jobId: opts.jobId } : {});
      return job.id ?? opts.jobId ?? "";
    },
    work<N extends QueueName>(
      name: N,
      processor: Processor<N>,
      { concurrency }: { concurrency: number },
    ): WorkerHandle {
      // Workers block on Redis, so each gets its own connection.
      const workerConnection = createRedis(url, { connectionName: `flowtrace-worker-${name}` });
      workerConnection.on("error", () => {});
      const controllers = new Set<AbortController>();
      const worker = new Worker(
        name,
        async (job) => {
          let payload: ReturnType<typeof parsePayload<N>>;
          try {
            payload = parsePayload(name, job.data);
          } catch (error) {
            if (error instanceof InvalidJobPayloadError) throw new UnrecoverableError(error.message);
            throw error;
          }
          const controller = new AbortController();
          controllers.add(controller);
          try {
            await processor(payload, { jobId: job.id ?? "", attempt: job.attemptsMade + 1, signal: controller.signal });
          } finally {
            controllers.delete(controller);
          }
        },
        {
          connection: workerConnection,
          prefix,
          concurrency,
          autorun: true,
          // A killed worker's job is noticed as stalled within ~lockDuration and handed to another worker,
          // which resumes the run from its last checkpoint.
          lockDuration: 10_000,
          stalledInterval: 5_000,
          maxStalledCount: 3,
        },
      );
      worker.on("error", () => {});
      workers.add(worker);
      return {
        async close(timeoutMs = 10_000) {
          workers.delete(worker);
          // Stop taking jobs, then ask the active ones to hand back: they throw HandoffError, BullMQ
          // schedules the job again, and another worker resumes the run from its checkpoint.
          const closing = worker.close();
          for (const c of controllers) c.abort(new HandoffError());
          await withTimeout(closing, timeoutMs, "worker close").catch(() => worker.close(true));
          workerConnection.disconnect();
        },
      };
    },
    async ping(timeoutMs = 2_000) {
      await withTimeout(connection.ping(), timeoutMs, "Redis ping");
    },
    async close() {
      await Promise.allSettled([...workers].map((w) => w.close(true)));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      await connection.quit().catch(() => {});
      connection.disconnect();
    },
  };
}
