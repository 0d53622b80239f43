/**
 * Registers the processors for every queue on a JobQueue and closes them gracefully.
 * Processors only delegate to services; this class owns concurrency and shutdown.
 */
import type { Logger } from "../observability/logger.ts";
import type { JobQueue, Processor, WorkerHandle } from "../queue/queue.ts";
import type { JobPayload, QueueName } from "../queue/queues.ts";

/** A queue's processor, and what to record when the queue gives up on one of its jobs. */
export interface JobHandler<N extends QueueName> {
  process: Processor<N>;
  giveUp?: (payload: JobPayload<N>, reason: string) => Promise<void>;
}

export type ProcessorMap = { [N in QueueName]?: JobHandler<N> };

export class WorkerManager {
  private readonly handles: WorkerHandle[] = [];

  constructor(
    private readonly queue: JobQueue,
    private readonly logger: Logger,
  ) {}

  start(processors: ProcessorMap, concurrency: number): QueueName[] {
    const names = Object.keys(processors) as QueueName[];
    for (const name of names) {
      const handler = processors[name] as JobHandler<typeof name>;
      const processor = handler.process;
      const wrapped: Processor<typeof name> = async (payload, ctx) => {
        const log = this.logger.child({ queue: name, jobId: ctx.jobId, attempt: ctx.attempt });
        const started = performance.now();
        try {
          await processor(payload, ctx);
          log.info({ ms: Math.round(performance.now() - started) }, "job completed");
        } catch (error) {
          log.error({ err: error }, "job failed");
          throw error;
        }
      };
      const giveUp = handler.giveUp;
      this.handles.push(
        this.queue.work(name, wrapped, {
          concurrency,
          ...(giveUp
            ? {
                onGiveUp: async (payload, reason) => {
                  this.logger.error({ queue: name, reason }, "queue gave up on a job");
                  await giveUp(payload, reason);
                },
              }
            : {}),
        }),
      );
    }
    this.logger.info({ queues: names, concurrency, backend: this.queue.kind }, "worker started");
    return names;
  }

  /**
   * Run a maintenance task (e.g. the dead-run reaper) every `intervalMs`, once per interval across
   * every process on the same queue, logging its failures.
   */
  async every(name: string, intervalMs: number, task: () => Promise<unknown>): Promise<void> {
    const handle = await this.queue.schedule(
      { name, everyMs: intervalMs, run: async () => void (await task()) },
      (error) => this.logger.warn({ task: name, err: (error as Error).message }, "maintenance task failed"),
    );
    this.handles.push(handle);
  }

  async close(timeoutMs: number): Promise<void> {
    await Promise.allSettled(this.handles.map((h) => h.close(timeoutMs)));
    this.handles.length = 0;
  }
}
