/** In-process queue for embedded mode: same contract as BullMQ, jobs live in this process's memory. */
import { randomUUID } from "node:crypto";
import { HandoffError, type JobQueue, type Processor, type WorkOptions } from "./queue.ts";
import { DEFAULT_JOB_OPTIONS, type JobPayload, parsePayload, type QueueName } from "./queues.ts";

interface PendingJob {
  id: string;
  payload: unknown;
  attempt: number;
}

interface Lane {
  pending: PendingJob[];
  ids: Set<string>;
  drain?: () => void;
}

export function createMemoryQueue(options: { backoffMs?: number } = {}): JobQueue {
  const lanes = new Map<QueueName, Lane>();
  const backoffMs = options.backoffMs ?? DEFAULT_JOB_OPTIONS.backoff.delay;
  let closed = false;

  const lane = (name: QueueName): Lane => {
    let l = lanes.get(name);
    if (!l) {
      l = { pending: [], ids: new Set() };
      lanes.set(name, l);
    }
    return l;
  };

  return {
    kind: "embedded",
    async enqueue(name, payload, opts = {}) {
      if (closed) throw new Error("queue is closed");
      const data = parsePayload(name, payload);
      const id = opts.jobId ?? randomUUID();
      const l = lane(name);
      if (l.ids.has(id)) return id; // same semantics as BullMQ: a live job id is not added twice
      l.ids.add(id);
      l.pending.push({ id, payload: data, attempt: 1 });
      l.drain?.();
      return id;
    },
    work<N extends QueueName>(name: N, processor: Processor<N>, { concurrency, onGiveUp }: WorkOptions<N>) {
      const l = lane(name);
      const active = new Set<Promise<void>>();
      const controllers = new Set<AbortController>();
      let stopping = false;

      const run = (job: PendingJob) => {
        const controller = new AbortController();
        controllers.add(controller);
        const task = (async () => {
          try {
            await processor(parsePayload(name, job.payload), {
              jobId: job.id,
              attempt: job.attempt,
              signal: controller.signal,
            });
            l.ids.delete(job.id);
          } catch (error) {
            if (error instanceof HandoffError) {
              // Back to the queue (lost with the process in embedded mode; recovered from the database at start).
              l.pending.unshift(job);
              return;
            }
            const retriable = !(error instanceof Error && error.name === "InvalidJobPayloadError");
            if (retriable && job.attempt < DEFAULT_JOB_OPTIONS.attempts && !stopping) {
              const delay = backoffMs * 2 ** (job.attempt - 1);
              setTimeout(() => {
                l.pending.push({ ...job, attempt: job.attempt + 1 });
                l.drain?.();
              }, delay).unref();
            } else {
              l.ids.delete(job.id);
              if (retriable && !stopping) {
                await onGiveUp?.(job.payload as JobPayload<N>, (error as Error)?.message ?? String(error)).catch(
                  () => {},
                );
              }
            }
          }
        })();
        active.add(task);
        void task.finally(() => {
          active.delete(task);
          controllers.delete(controller);
          pump();
        });
      };

      const pump = () => {
        while (!stopping && active.size < concurrency && l.pending.length > 0) {
          const job = l.pending.shift();
          if (job) run(job);
        }
      };
      l.drain = pump;
      queueMicrotask(pump);

      return {
        async close(timeoutMs = 10_000) {
          stopping = true;
          l.drain = undefined;
          for (const c of controllers) c.abort(new HandoffError());
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            Promise.allSettled([...active]),
            new Promise((resolve) => {
              timer = setTimeout(resolve, timeoutMs);
            }),
          ]);
          clearTimeout(timer);
        },
      };
    },
    async ping() {
      if (closed) throw new Error("queue is closed");
    },
    async close() {
      closed = true;
      lanes.clear();
    },
  };
}
