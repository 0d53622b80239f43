/** One BullMQ worker for a queue of the runs contract: payload checks, hand-back on shutdown, give-up reports. */
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import { withTimeout } from "../realtime/pubsub.ts";
import { createRedis } from "../realtime/redis.ts";
import { HandoffError, type Processor, type WorkerHandle, type WorkOptions } from "./queue.ts";
import { InvalidJobPayloadError, type JobPayload, parsePayload, type QueueName } from "./queues.ts";

/** How often a job may lose its worker (crash, OOM, kill) before the queue gives up on it. */
export const MAX_STALLED = 25;

export interface BullmqWorkerSettings {
  url: string;
  prefix: string;
  lockMs: number;
}

/** Why the queue will not run this job again, or undefined while it still will. */
export function giveUpReason(job: Pick<Job, "attemptsMade" | "opts">, error: Error): string | undefined {
  if (error instanceof UnrecoverableError) return undefined;
  const stalledOut = /stalled more than allowable limit/i.test(error.message);
  if (stalledOut) return `its worker was lost ${MAX_STALLED + 1} times in a row (crash or kill each time)`;
  if (job.attemptsMade < (job.opts.attempts ?? 1)) return undefined;
  return `${job.attemptsMade} attempts failed; last: ${error.message}`;
}

function payloadOf<N extends QueueName>(name: N, job: Job): JobPayload<N> {
  try {
    return parsePayload(name, job.data);
  } catch (error) {
    if (error instanceof InvalidJobPayloadError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

function jobRunner<N extends QueueName>(name: N, processor: Processor<N>, controllers: Set<AbortController>) {
  return async (job: Job, token?: string) => {
    const payload = payloadOf(name, job);
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
  };
}

export function startBullmqWorker<N extends QueueName>(
  settings: BullmqWorkerSettings,
  name: N,
  processor: Processor<N>,
  { concurrency, onGiveUp }: WorkOptions<N>,
): { worker: Worker; handle: WorkerHandle } {
  // Workers block on Redis, so each gets its own connection.
  const connection = createRedis(settings.url, { connectionName: `flowtrace-worker-${name}` });
  connection.on("error", () => {});
  const controllers = new Set<AbortController>();
  const worker = new Worker(name, jobRunner(name, processor, controllers), {
    connection,
    prefix: settings.prefix,
    concurrency,
    autorun: true,
    // A killed worker's job is noticed as stalled within ~lockDuration and handed to another worker,
    // which resumes the run from its last checkpoint.
    lockDuration: settings.lockMs,
    stalledInterval: Math.max(500, Math.floor(settings.lockMs / 2)),
    // A run resumes from its checkpoint each time, so losing the worker is cheap; only a run that
    // keeps killing its workers is given up on.
    maxStalledCount: MAX_STALLED,
  });
  worker.on("error", () => {});
  worker.on("failed", (job, error) => {
    const reason = job && onGiveUp ? giveUpReason(job, error) : undefined;
    if (job && onGiveUp && reason) void onGiveUp(job.data as JobPayload<N>, reason).catch(() => {});
  });
  const handle: WorkerHandle = {
    async close(timeoutMs = 10_000) {
      // Stop taking jobs, then ask the active ones to hand back: they throw HandoffError, BullMQ
      // schedules the job again, and another worker resumes the run from its checkpoint.
      const closing = worker.close();
      for (const c of controllers) c.abort(new HandoffError());
      await withTimeout(closing, timeoutMs, "worker close").catch(() => worker.close(true));
      connection.disconnect();
    },
  };
  return { worker, handle };
}
