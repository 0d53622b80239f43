/** ioredis connections, created one way everywhere (BullMQ needs `maxRetriesPerRequest: null`). */
import { Redis, type RedisOptions } from "ioredis";

export { Redis };

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // Reconnect forever with a capped delay: Redis going away must never crash the process.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
    ...options,
  });
}
