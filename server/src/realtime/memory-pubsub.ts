/** In-process pub/sub for embedded mode (one process runs API and executor). */
import type { PubSub } from "./pubsub.ts";

export function createMemoryPubSub(): PubSub {
  const channels = new Map<string, Set<(message: unknown) => void>>();
  let closed = false;
  return {
    kind: "embedded",
    async publish(channel, message) {
      if (closed) throw new Error("pub/sub is closed");
      // Serialise like Redis does, so subscribers never share (or mutate) the publisher's object.
      const payload = JSON.stringify(message);
      for (const handler of channels.get(channel) ?? []) handler(JSON.parse(payload));
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
