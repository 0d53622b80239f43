import { afterEach, describe, expect, inject, it } from "vitest";
import { uniqueName } from "../../test/helpers/db.ts";
import type { PubSub } from "./pubsub.ts";
import { createRedisPubSub } from "./redis-pubsub.ts";

const redisUrl = inject("redisUrl");
const open: PubSub[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

describe("Redis pub/sub", () => {
  it("carries messages in order between two connections, per channel", async () => {
    const prefix = `${uniqueName("ft")}:`;
    const a = createRedisPubSub(redisUrl, { prefix });
    const b = createRedisPubSub(redisUrl, { prefix });
    open.push(a, b);
    const got: unknown[] = [];
    const other: unknown[] = [];
    await b.subscribe("run:1", (m) => got.push(m));
    await b.subscribe("run:2", (m) => other.push(m));
    for (let seq = 1; seq <= 50; seq++) await a.publish("run:1", { seq });
    const end = Date.now() + 5_000;
    while (got.length < 50 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => ({ seq: i + 1 })));
    expect(other).toEqual([]);
  });

  it("a subscriber that joins a channel another is still subscribing to is live when its call returns", async () => {
    const prefix = `${uniqueName("ft")}:`;
    const a = createRedisPubSub(redisUrl, { prefix });
    const b = createRedisPubSub(redisUrl, { prefix });
    open.push(a, b);
    const first: unknown[] = [];
    const second: unknown[] = [];
    const joining = b.subscribe("run:3", (m) => first.push(m));
    await b.subscribe("run:3", (m) => second.push(m)); // the channel's SUBSCRIBE is still under way
    await a.publish("run:3", "right after");
    await joining;
    const end = Date.now() + 5_000;
    while ((first.length < 1 || second.length < 1) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(second).toEqual(["right after"]);
    expect(first).toEqual(["right after"]);
  });

  it("stops delivering after unsubscribe", async () => {
    const prefix = `${uniqueName("ft")}:`;
    const ps = createRedisPubSub(redisUrl, { prefix });
    open.push(ps);
    const got: unknown[] = [];
    const unsub = await ps.subscribe("c", (m) => got.push(m));
    await ps.publish("c", 1);
    while (got.length < 1) await new Promise((r) => setTimeout(r, 5));
    await unsub();
    await ps.publish("c", 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([1]);
  });
});
