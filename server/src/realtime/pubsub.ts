/**
 * Publish/subscribe between processes: Redis in server mode, in-process in embedded mode.
 * Messages are JSON values; channels are plain strings (e.g. `run:<id>`).
 */
export interface PubSub {
  readonly kind: "redis" | "embedded";
  publish(channel: string, message: unknown): Promise<void>;
  /** Returns an unsubscribe function. The handler receives messages in publication order. */
  subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>>;
  /** Resolves when the broker answers within the timeout. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Rejects with `label timed out` when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${label} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
