/** In-process pub/sub for embedded mode (one process runs API and executor). */
import type { PubSub } from "./pubsub.ts";

export function createMemoryPubSub(): PubSub {
  const channels = new Map<string, Set<(message: unknown) => void>>();
  let closed = false;
  return {
    kind: "embedded",
    async publish(channel, message) {
      if (closed) throw new Error("pub/sub is closed");
      // Serialise like Redis does: subscribers never share the publisher's object, and (as with the
      // Redis adapter, which parses each message once) they share one copy among themselves.
      const handlers = channels.get(channel);
      if (!handlers?.size) return;
      const copy = JSON.parse(JSON.stringify(message));
      for (const handler of handlers) handler(copy);
    },
    async subscribe(channel, handler) {
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
      }
      const wrapped = (m: unknown) => handler(m);
      set.add(wrapped);
      return async () => {
        set.delete(wrapped);
        if (set.size === 0) channels.delete(channel);
      };
    },
    async ping() {
      if (closed) throw new Error("pub/sub is closed");
    },
    async close() {
      closed = true;
      channels.clear();
    },
  };
}
