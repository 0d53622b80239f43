/**
 * Queue contracts: names, job payload schemas and default job options in one place.
 * Producers and processors both import this module, so a payload can never drift between them.
 */
import { z } from "zod";

export const QUEUES = {
  /** Execute one workflow run. Job id = run id, so a run is never enqueued twice. */
  runs: z.object({ runId: z.uuid() }),
  /** Drive one experiment: start its items' runs (at most its concurrency at once) and score them. Job id = experiment id. */
  experiments: z.object({ experimentId: z.uuid() }),
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobPayload<N extends QueueName> = z.infer<(typeof QUEUES)[N]>;

export const DEFAULT_JOB_OPTIONS = {
  /**
   * Queue-level retries are for infrastructure failures (the database away mid-run); step retries
   * live in the engine. 8 attempts with exponential backoff from 1 s span about two minutes.
   */
  attempts: 8,
  backoff: { type: "exponential" as const, delay: 1_000 },
  removeOnComplete: { count: 1_000 },
  removeOnFail: { count: 5_000 },
};

export class InvalidJobPayloadError extends Error {
  override readonly name = "InvalidJobPayloadError";
}

export function parsePayload<N extends QueueName>(name: N, payload: unknown): JobPayload<N> {
  const result = QUEUES[name].safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidJobPayloadError(
      `invalid ${name} job payload at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "unknown"}`,
    );
  }
  return result.data as JobPayload<N>;
}
