import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { uniqueName } from "../../test/helpers/db.ts";
import { createRedis } from "../realtime/redis.ts";
import { createBullmqQueue } from "./bullmq-queue.ts";
import type { JobQueue } from "./queue.ts";

const redisUrl = inject("redisUrl");
const opened: { queue: JobQueue; prefix: string }[] = [];
const open = () => {
  const prefix = uniqueName("ft_test");
  const queue = createBullmqQueue(redisUrl, { prefix });
  opened.push({ queue, prefix });
  return queue;
};
afterEach(async () => {
  const redis = createRedis(redisUrl);
  for (const { queue, prefix } of opened.splice(0)) {
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("BullMQ queue (real Redis)", () => {
  it("delivers jobs between two queue instances (producer and worker processes)", async () => {
    const producer = open();
    const consumer = createBullmqQueue(redisUrl, { prefix: opened[0]?.prefix ?? "" });
    opened.push({ queue: consumer, prefix: opened[0]?.prefix ?? "" });
    const seen: string[] = [];
    consumer.work("runs", async (p) => void seen.push(p.runId), { concurrency: 2 });
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const runId of ids) await producer.enqueue("runs", { runId }, { jobId: runId });
    await until(() => seen.length === 3);
    expect(seen.sort()).toEqual(ids.sort());
  });

  it("does not add the same job id twice", async () => {
    const q = open();
    const runId = randomUUID();
    let calls = 0;
    await q.enqueue("runs", { runId }, { jobId: runId });
    await q.enqueue("runs", { runId }, { jobId: runId });
    q.work("runs", async () => void calls++, { concurrency: 1 });
    await until(() => calls === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(1);
  });

  it("validates payloads before they reach Redis", async () => {
    const q = open();
    await expect(q.enqueue("runs", { runId: "not-a-uuid" })).rejects.toThrow(/invalid runs job payload at runId/);
  });

  it("retries a job that throws, reporting the attempt number", async () => {
    const q = open();
    const attempts: number[] = [];
    q.work(
      "runs",
      async (_p, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt === 1) throw new Error("worker crashed mid-job");
      },
      { concurrency: 1 },
    );
    await q.enqueue("runs", { runId: randomUUID() });
    await until(() => attempts.length === 2);
    expect(attempts).toEqual([1, 2]);
  });

  it("answers ping while Redis is up", async () => {
    await expect(open().ping()).resolves.toBeUndefined();
  });

  it("runs a scheduled task once per interval however many processes schedule it", async () => {
    const first = open();
    const second = createBullmqQueue(redisUrl, { prefix: opened[0]?.prefix ?? "" });
    opened.push({ queue: second, prefix: opened[0]?.prefix ?? "" });
    const everyMs = 250;
    const ranIn: string[] = [];
    const task = (who: string) => ({ name: "reap", everyMs, run: async () => void ranIn.push(who) });
    const started = Date.now();
    await first.schedule(task("first"), () => {});
    await second.schedule(task("second"), () => {});
    await until(() => ranIn.length >= 4);
    const intervals = Math.floor((Date.now() - started) / everyMs);
    // A timer in each process would run the task twice per interval.
    expect(ranIn.length).toBeLessThanOrEqual(intervals + 1);
  });

  it("reports a failing scheduled run and keeps the schedule going", async () => {
    const q = open();
    let runs = 0;
    const errors: string[] = [];
    const run = async () => {
      runs++;
      if (runs === 1) throw new Error("reaper failed");
    };
    await q.schedule({ name: "flaky", everyMs: 100, run }, (e) => errors.push((e as Error).message));
    await until(() => runs >= 2);
    expect(errors).toEqual(["reaper failed"]);
  });
});
