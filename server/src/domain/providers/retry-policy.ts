/** Exponential backoff with full jitter, honouring the provider's retry-after. Pure. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 2, baseMs: 250, maxMs: 8_000 };

/**
 * Delay before retry number `retry` (1-based): a uniform random value in [0, min(max, base·2^(retry-1))],
 * but never less than what the provider asked for with retry-after (capped at 60 s).
 */
export function backoffDelay(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, 60_000));
}
