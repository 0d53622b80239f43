import { describe, expect, it } from "vitest";
import { createMemoryPubSub } from "./memory-pubsub.ts";

describe("in-process pub/sub", () => {
  it("delivers in order to every subscriber of a channel and isolates channels", async () => {
    const ps = createMemoryPubSub();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const other: unknown[] = [];
    await ps.subscribe("run:1", (m) => a.push(m));
    const unsubB = await ps.subscribe("run:1", (m) => b.push(m));
    await ps.subscribe("run:2", (m) => other.push(m));
    for (let i = 1; i <= 3; i++) await ps.publish("run:1", { seq: i });
    await unsubB();
    await ps.publish("run:1", { seq: 4 });
    expect(a).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }, { seq: 4 }]);
    expect(b).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
    expect(other).toEqual([]);
  });

  it("hands subscribers a copy, never the publisher's object", async () => {
    const ps = createMemoryPubSub();
    const msg = { nested: { n: 1 } };
    let received: { nested: { n: number } } | undefined;
    await ps.subscribe("c", (m) => {
      received = m as typeof msg;
    });
    await ps.publish("c", msg);
    msg.nested.n = 2;
    expect(received).toEqual({ nested: { n: 1 } });
  });

  it("parses each message once: its subscribers share that copy, as with Redis", async () => {
    const ps = createMemoryPubSub();
    const got: unknown[] = [];
    for (let i = 0; i < 3; i++) await ps.subscribe("c", (m) => got.push(m));
    const msg = { seq: 1 };
    await ps.publish("c", msg);
    expect(got).toHaveLength(3);
    expect(got[0]).not.toBe(msg);
    expect(new Set(got).size).toBe(1);
  });

  it("fails ping and publish once closed", async () => {
    const ps = createMemoryPubSub();
    await ps.close();
    await expect(ps.ping()).rejects.toThrow(/closed/);
    await expect(ps.publish("c", 1)).rejects.toThrow(/closed/);
  });
});
