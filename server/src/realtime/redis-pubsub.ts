/** Redis pub/sub for server mode: API and workers may run on different machines. */
import { type PubSub, withTimeout } from "./pubsub.ts";
import { createRedis, type Redis } from "./redis.ts";

type Handler = (message: unknown) => void;
interface Channel {
  handlers: Set<Handler>;
  /** Settles when Redis confirmed the SUBSCRIBE. */
  ready: Promise<void>;
}

/**
 * One Redis subscription per channel, shared by every local handler of it. A handler joining while
 * the SUBSCRIBE is on its way waits for it too, so nobody returns from subscribe() before messages
 * can actually reach it; the last one to leave unsubscribes.
 */
class SharedSubscriptions {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly subscriber: Redis) {
    subscriber.on("message", (channel: string, raw: string) => this.deliver(channel, raw));
  }

  private deliver(channel: string, raw: string) {
    const entry = this.channels.get(channel);
    if (!entry) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    for (const handler of entry.handlers) handler(message);
  }

  private channel(key: string): Channel {
    const existing = this.channels.get(key);
    if (existing) return existing;
    const created: Channel = { handlers: new Set(), ready: this.subscriber.subscribe(key).then(() => {}) };
    // A SUBSCRIBE that failed (Redis away) must not leave a channel that looks subscribed.
    created.ready.catch(() => {
      if (this.channels.get(key) === created) this.channels.delete(key);
    });
    this.channels.set(key, created);
    return created;
  }

  async join(key: string, handler: Handler): Promise<() => Promise<void>> {
    const current = this.channel(key);
    const wrapped: Handler = (m) => handler(m);
    current.handlers.add(wrapped);
    try {
      await current.ready;
    } catch (error) {
      current.handlers.delete(wrapped);
      throw error;
    }
    return async () => {
      current.handlers.delete(wrapped);
      if (current.handlers.size === 0 && this.channels.get(key) === current) {
        this.channels.delete(key);
        await this.subscriber.unsubscribe(key).catch(() => {});
      }
    };
  }

  clear() {
    this.channels.clear();
  }
}

export function createRedisPubSub(url: string, options: { prefix?: string } = {}): PubSub {
  const prefix = options.prefix ?? "flowtrace:";
  const publisher: Redis = createRedis(url, { connectionName: "flowtrace-pub" });
  const subscriber: Redis = createRedis(url, { connectionName: "flowtrace-sub" });
  // Errors are surfaced through ping()/health; without listeners ioredis would log to stderr.
  publisher.on("error", () => {});
  subscriber.on("error", () => {});
  const subscriptions = new SharedSubscriptions(subscriber);
  return {
    kind: "redis",
    async publish(channel, message) {
      await publisher.publish(prefix + channel, JSON.stringify(message));
    },
    subscribe: (channel, handler) => subscriptions.join(prefix + channel, handler),
    async ping(timeoutMs = 2_000) {
      await withTimeout(publisher.ping(), timeoutMs, "Redis ping");
    },
    async close() {
      subscriptions.clear();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
