/**
 * Counts requests being answered (live streams excluded: they are resumable and simply end), so a
 * graceful shutdown can stop accepting, let every accepted request finish, and only then cut what is
 * left.
 */
import type { MiddlewareHandler } from "hono";

const STREAMS = /\/stream$/;

export class InflightRequests {
  /** Set on shutdown: answers ask clients not to reuse the connection. */
  draining = false;
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (STREAMS.test(c.req.path)) return next();
      this.count++;
      try {
        await next();
        if (this.draining) c.header("Connection", "close");
      } finally {
        this.count--;
        if (this.count === 0) for (const w of this.waiters.splice(0)) w();
      }
    };
  }

  /** Resolves when no request is being answered, or after `timeoutMs` (false). */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
