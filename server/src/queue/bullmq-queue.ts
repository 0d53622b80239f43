/** BullMQ on Redis: the queue for server mode, where API and workers are separate processes. */
import { DelayedError, Queue, UnrecoverableError, Worker } from "bullmq";
import { withTimeout } from "../realtime/pubsub.ts";
import { createRedis, type Redis } from "../realtime/redis.ts";
import {
  HandoffError,
  type JobQueue,
  type Processor,
  QueueUnavailableError,
  type WorkerHandle,
  type WorkOptions,
} from "./queue.ts";
import {
  DEFAULT_JOB_OPTIONS,
  InvalidJobPayloadError,
  type JobPayload,
  parsePayload,
  type QueueName,
} from "./queues.ts";

/** How often a job may lose its worker (crash, OOM, kill) before the queue gives up on it. */
export const MAX_STALLED = 25;

export function createBullmqQueue(
  url: string,
  options: { prefix?: string; lockMs?: number; enqueueTimeoutMs?: number } = {},
): JobQueue {
  const prefix = options.prefix ?? "flowtrace";
  const lockMs = options.lockMs ?? 10_000;
  // Redis commands wait for a reconnect (BullMQ needs that); a request that enqueues must not.
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5_000;
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
      try {
        const adding = queue(name).add(name, data, opts.jobId ? { jobId: opts.jobId } : {});
        adding.catch(() => {}); // may still settle after the timeout below
        const job = await withTimeout(adding, enqueueTimeoutMs, "enqueue");
        return job.id ?? opts.jobId ?? "";
      } catch (error) {
        throw new QueueUnavailableError(error);
      }
    },
    work<N extends QueueName>(
      name: N,
      processor: Processor<N>,
      { concurrency, onGiveUp }: WorkOptions<N>,
    ): WorkerHandle {
      // Workers block on Redis, so each gets its own connection.
      const workerConnection = createRedis(url, { connectionName: `flowtrace-worker-${name}` });
      workerConnection.on("error", () => {});
      const controllers = new Set<AbortController>();
      const worker = new Worker(
        name,
        async (job, token) => {
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
          } catch (error) {
            // A hand-back on shutdown is not a failed attempt: straight back to the queue for the next worker.
            if (error instanceof HandoffError && token) {
              await job.moveToDelayed(Date.now(), token);
              throw new DelayedError();
            }
            throw error;
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
          lockDuration: lockMs,
          stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
          // A run resumes from its checkpoint each time, so losing the worker is cheap; only a run that
          // keeps killing its workers is given up on.
          maxStalledCount: MAX_STALLED,
        },
      );
      worker.on("error", () => {});
      worker.on("failed", (job, error) => {
        if (!job || !onGiveUp || error instanceof UnrecoverableError) return;
        const stalledOut = /stalled more than allowable limit/i.test(error.message);
        if (!stalledOut && job.attemptsMade < (job.opts.attempts ?? 1)) return;
        const reason = stalledOut
          ? `its worker was lost ${MAX_STALLED + 1} times in a row (crash or kill each time)`
          : `${job.attemptsMade} attempts failed; last: ${error.message}`;
        void onGiveUp(job.data as JobPayload<N>, reason).catch(() => {});
      });
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
