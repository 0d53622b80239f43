import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMemoryQueue } from "./memory-queue.ts";
import { InvalidJobPayloadError } from "./queues.ts";

const until = async (check: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("in-process queue", () => {
  it("delivers validated payloads to the worker", async () => {
    const q = createMemoryQueue();
    const seen: string[] = [];
    const w = q.work("runs", async (p) => void seen.push(p.runId), { concurrency: 1 });
    const ids = [randomUUID(), randomUUID()];
    for (const runId of ids) await q.enqueue("runs", { runId });
    await until(() => seen.length === 2);
    expect(seen).toEqual(ids);
    await w.close();
    await q.close();
  });

  it("rejects an invalid payload at enqueue with the path", async () => {
    const q = createMemoryQueue();
    await expect(q.enqueue("runs", { runId: "nope" })).rejects.toThrow(InvalidJobPayloadError);
    await expect(q.enqueue("runs", { runId: "nope" })).rejects.toThrow(/invalid runs job payload at runId/);
  });

  it("never runs more jobs at once than the concurrency", async () => {
    const q = createMemoryQueue();
    let active = 0;
    let peak = 0;
    let done = 0;
    const w = q.work(
      "runs",
      async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
        done++;
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 12; i++) await q.enqueue("runs", { runId: randomUUID() });
    await until(() => done === 12);
    expect(peak).toBe(3);
    await w.close();
  });

  it("does not enqueue a live job id twice", async () => {
    const q = createMemoryQueue();
    const runId = randomUUID();
    let calls = 0;
    await q.enqueue("runs", { runId }, { jobId: runId });
    await q.enqueue("runs", { runId }, { jobId: runId });
    const w = q.work("runs", async () => void calls++, { concurrency: 2 });
    await until(() => calls >= 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(1);
    await w.close();
  });

  it("retries a failing job with backoff up to the attempt limit", async () => {
    const q = createMemoryQueue({ backoffMs: 1 });
    const attempts: number[] = [];
    const w = q.work(
      "runs",
      async (_p, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 3) throw new Error("transient");
      },
      { concurrency: 1 },
    );
    await q.enqueue("runs", { runId: randomUUID() });
    await until(() => attempts.length === 3);
    expect(attempts).toEqual([1, 2, 3]);
    await w.close();
  });

  it("close() waits for active jobs to finish", async () => {
    const q = createMemoryQueue();
    let finished = false;
    let started = false;
    const w = q.work(
      "runs",
      async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 50));
        finished = true;
      },
      { concurrency: 1 },
    );
    await q.enqueue("runs", { runId: randomUUID() });
    await until(() => started);
    await w.close(5_000);
    expect(finished).toBe(true);
  });

  it("hands active jobs back on close; a new worker takes them", async () => {
    const q = createMemoryQueue();
    const runId = randomUUID();
    let started = false;
    const first = q.work(
      "runs",
      (_p, ctx) =>
        new Promise<void>((_resolve, reject) => {
          started = true;
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
        }),
      { concurrency: 1 },
    );
    await q.enqueue("runs", { runId }, { jobId: runId });
    await until(() => started);
    await first.close(1_000);
    const seen: string[] = [];
    const second = q.work("runs", async (p) => void seen.push(p.runId), { concurrency: 1 });
    await until(() => seen.length === 1);
    expect(seen).toEqual([runId]);
    await second.close();
  });

  it("runs a scheduled task every interval, reports failures without stopping, and stops on close", async () => {
    const q = createMemoryQueue();
    let runs = 0;
    const errors: string[] = [];
    const handle = await q.schedule(
      {
        name: "tick",
        everyMs: 20,
        run: async () => {
          runs++;
          if (runs === 1) throw new Error("first run failed");
        },
      },
      (error) => errors.push((error as Error).message),
    );
    await until(() => runs >= 3);
    expect(errors).toEqual(["first run failed"]);
    await handle.close();
    const stoppedAt = runs;
    await new Promise((r) => setTimeout(r, 80));
    expect(runs).toBe(stoppedAt);
    await q.close();
  });

  it("does not start a scheduled run while the previous one is still going", async () => {
    const q = createMemoryQueue();
    let active = 0;
    let peak = 0;
    let runs = 0;
    await q.schedule(
      {
        name: "slow",
        everyMs: 5,
        run: async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 30));
          active--;
          runs++;
        },
      },
      () => {},
    );
    await until(() => runs >= 3);
    expect(peak).toBe(1);
    await q.close();
  });
});
