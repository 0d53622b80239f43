/**
 * Redis restart: the broker behind the queue and the live feeds crashes (SIGKILL) in the middle of
 * runs that have REST SSE and graphql-sse subscribers, and comes back on the same port. Runs
 * complete; every subscriber ends with the complete, ordered, duplicate-free event list.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "../helpers/db.ts";
import {
  chain,
  chaosEnvironment,
  expectCompleteTrace,
  providerEnv,
  startApiProcess,
  startRunOverRest,
  startWorkerProcess,
  waitAllFinished,
} from "./harness.ts";
import { collectGraphqlSse, collectSse, RedisServer } from "./subscribers.ts";

const chaos = chaosEnvironment({ latencyMs: 150 });
const redis = new RedisServer();

beforeAll(async () => {
  await redis.start();
  chaos.onTeardown(() => redis.close());
});

describe("Redis restart", () => {
  it("runs complete and every live subscriber ends with the whole ordered trace", async () => {
    const { db, prisma, sim, procs } = chaos;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      FLOWTRACE_QUEUE_PREFIX: uniqueName("ftredis"),
      FLOWTRACE_WORKER_CONCURRENCY: "8",
      ...providerEnv(sim),
    };
    const api = await startApiProcess(env);
    procs.push(api.proc);
    procs.push(await startWorkerProcess(env));

    const runIds: string[] = [];
    for (let i = 0; i < 8; i++)
      runIds.push(await startRunOverRest(api.url, chain(8, `redis-${i}`), { topic: `r${i}` }));
    const subscribers = runIds.flatMap((id) => [
      collectSse(api.url, id, { deadlineMs: 90_000 }),
      collectGraphqlSse(api.url, id, { deadlineMs: 90_000 }),
    ]);

    await new Promise((r) => setTimeout(r, 600));
    const runningAtCrash = await prisma.workflowRun.count({ where: { status: "running" } });
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1_500));
    await redis.start();

    const runs = await waitAllFinished(prisma, runIds, 90_000);
    expect(runs.filter((r) => r.status !== "succeeded").map((r) => r.errorSummary)).toEqual([]);
    const results = await Promise.all(subscribers);
    let checked = 0;
    for (const [i, id] of runIds.entries()) {
      const n = await expectCompleteTrace(prisma, id);
      const expected = Array.from({ length: n }, (_, k) => k + 1);
      for (const r of [results[2 * i], results[2 * i + 1]]) {
        expect(r?.done).toBe(true);
        expect(r?.seqs).toEqual(expected);
        checked += n;
      }
    }
    expect(runningAtCrash).toBeGreaterThan(0);
    console.info(
      `[chaos] Redis restart: ${runIds.length} runs (${runningAtCrash} running at the crash), ` +
        `${subscribers.length} subscribers, ${checked} events received and checked, ` +
        `${results.reduce((a, r) => a + r.reconnects, 0)} reconnects, lost or duplicated: 0`,
    );
  });
});
