/** Redis pub/sub for server mode: API and workers may run on different machines. */
import { type PubSub, withTimeout } from "./pubsub.ts";
import { createRedis, type Redis } from "./redis.ts";

export function createRedisPubSub(url: string, options: { prefix?: string } = {}): PubSub {
  const prefix = options.prefix ?? "flowtrace:";
  const publisher: Redis = createRedis(url, { connectionName: "flowtrace-pub" });
  const subscriber: Redis = createRedis(url, { connectionName: "flowtrace-sub" });
  // Errors are surfaced through ping()/health; without listeners ioredis would log to stderr.
  publisher.on("error", () => {});
  subscriber.on("error", () => {});
  const handlers = new Map<string, Set<(message: unknown) => void>>();

  subscriber.on("message", (channel: string, raw: string) => {
    const set = handlers.get(channel);
    if (!set) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    for (const handler of set) handler(message);
  });

  return {
    kind: "redis",
    async publish(channel, message) {
      await publisher.publish(prefix + channel, JSON.stringify(message));
    },
    async subscribe(channel, handler) {
      const key = prefix + channel;
      let set = handlers.get(key);
      if (!set) {
        set = new Set();
        handlers.set(key, set);
        await subscriber.subscribe(key);
      }
      const wrapped = (m: unknown) => handler(m);
      set.add(wrapped);
      return async () => {
        set.delete(wrapped);
        if (set.size === 0) {
          handlers.delete(key);
          await subscriber.unsubscribe(key).catch(() => {});
        }
      };
    },
    async ping(timeoutMs = 2_000) {
      await withTimeout(publisher.ping(), timeoutMs, "Redis ping");
    },
    async close() {
      handlers.clear();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
