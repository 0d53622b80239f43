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
  // One Redis subscription per channel, shared by every local handler of it. `ready` settles when
  // Redis confirmed the SUBSCRIBE: a handler joining meanwhile waits for it too, so nobody returns
  // from subscribe() before messages can actually reach it.
  const channels = new Map<string, { handlers: Set<(message: unknown) => void>; ready: Promise<void> }>();

  subscriber.on("message", (channel: string, raw: string) => {
    const entry = channels.get(channel);
    if (!entry) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    for (const handler of entry.handlers) handler(message);
  });

  return {
    kind: "redis",
    async publish(channel, message) {
      await publisher.publish(prefix + channel, JSON.stringify(message));
    },
    async subscribe(channel, handler) {
      const key = prefix + channel;
      let entry = channels.get(key);
      if (!entry) {
        const created = {
          handlers: new Set<(message: unknown) => void>(),
          ready: subscriber.subscribe(key).then(() => {}),
        };
        // A SUBSCRIBE that failed (Redis away) must not leave a channel that looks subscribed.
        created.ready.catch(() => {
          if (channels.get(key) === created) channels.delete(key);
        });
        channels.set(key, created);
        entry = created;
      }
      const current = entry;
      const wrapped = (m: unknown) => handler(m);
      current.handlers.add(wrapped);
      try {
        await current.ready;
      } catch (error) {
        current.handlers.delete(wrapped);
        throw error;
      }
      return async () => {
        current.handlers.delete(wrapped);
        if (current.handlers.size === 0 && channels.get(key) === current) {
          channels.delete(key);
          await subscriber.unsubscribe(key).catch(() => {});
        }
      };
    },
    async ping(timeoutMs = 2_000) {
      await withTimeout(publisher.ping(), timeoutMs, "Redis ping");
    },
    async close() {
      channels.clear();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
