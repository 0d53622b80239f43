/**
 * PostgreSQL connection loss: every connection of the API and the worker to PostgreSQL is cut mid-run
 * and new ones are refused for a few seconds (a TCP proxy in between), then it comes back. Event
 * writes are retried and runs resume from their checkpoints; nothing a client was shown is lost;
 * the API answers 503 (REST and GraphQL) while the database is away and recovers without a restart.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { uniqueName } from "../helpers/db.ts";
import { TcpProxy, until } from "../helpers/process.ts";
import {
  chain,
  chaosEnvironment,
  expectCompleteTrace,
  expectNoSecrets,
  providerEnv,
  startApiProcess,
  startRunOverRest,
  startWorkerProcess,
  waitAllFinished,
} from "./harness.ts";
import { collectSse } from "./subscribers.ts";

const chaos = chaosEnvironment({ latencyMs: 150 });
let proxy: TcpProxy;

beforeAll(async () => {
  const target = new URL(chaos.db.url);
  proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.open();
  chaos.onTeardown(() => proxy.cut());
});

describe("PostgreSQL connection loss", () => {
  it("retries event writes, resumes runs, answers 503 while away and recovers without a restart", async () => {
    const { db, prisma, sim, procs } = chaos;
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const env = {
      DATABASE_URL: viaProxy.toString(),
      REDIS_URL: inject("redisUrl"),
      FLOWTRACE_QUEUE_PREFIX: uniqueName("ftpg"),
      FLOWTRACE_WORKER_CONCURRENCY: "6",
      ...providerEnv(sim),
    };
    const api = await startApiProcess(env);
    const worker = await startWorkerProcess(env);
    procs.push(api.proc, worker);

    const runIds: string[] = [];
    for (let i = 0; i < 6; i++) runIds.push(await startRunOverRest(api.url, chain(8, `pg-${i}`), { topic: `p${i}` }));
    const subscribers = runIds.map((id) => collectSse(api.url, id, { deadlineMs: 120_000 }));

    await new Promise((r) => setTimeout(r, 700));
    const acknowledgedBefore = await prisma.traceEvent.count({ where: { runId: { in: runIds } } });
    await proxy.cut();

    // While it is away: 503 with a reason, never a 500.
    const during = {
      run: await fetch(`${api.url}/api/runs/${runIds[0]}`),
      list: await fetch(`${api.url}/api/workflows`),
      create: await fetch(`${api.url}/api/workflows`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "x", graph_json: chain(1, "x") }),
      }),
      graphql: await fetch(`${api.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ workflows(first: 1) { edges { node { id } } } }" }),
      }),
      health: await fetch(`${api.url}/health`),
    };
    for (const [name, res] of Object.entries(during)) {
      const body = await res.text();
      if (name === "graphql") {
        expect(body, name).toContain("the database is unavailable");
        expect(body, name).toContain("SERVICE_UNAVAILABLE");
      } else {
        expect(res.status, `${name}: ${body}`).toBe(503);
        if (name !== "health") expect(JSON.parse(body).error.code).toBe("unavailable");
      }
      expectNoSecrets(`${name} response`, body);
    }

    await new Promise((r) => setTimeout(r, 2_500));
    await proxy.open();

    // Back without a restart.
    await until(
      () => fetch(`${api.url}/api/runs/${runIds[0]}`).then((r) => r.status),
      (s) => s === 200,
      30_000,
    );
    expect((await fetch(`${api.url}/health`)).status).toBe(200);

    const runs = await waitAllFinished(prisma, runIds, 60_000).catch((error) => {
      console.error(worker.stdout().slice(-6000), worker.stderr().slice(-3000));
      throw error;
    });
    expect(runs.filter((r) => r.status !== "succeeded").map((r) => r.errorSummary)).toEqual([]);
    const results = await Promise.all(subscribers);
    let checked = 0;
    for (const [i, id] of runIds.entries()) {
      const n = await expectCompleteTrace(prisma, id);
      expect(results[i]?.seqs).toEqual(Array.from({ length: n }, (_, k) => k + 1));
      checked += n;
    }
    expect(acknowledgedBefore).toBeGreaterThan(0);
    expectNoSecrets("api output", api.proc.stdout() + api.proc.stderr());
    expectNoSecrets("worker output", worker.stdout() + worker.stderr());
    const resumed = await prisma.traceEvent.count({
      where: { runId: { in: runIds }, kind: "log", payload: { path: ["message"], string_contains: "resuming" } },
    });
    console.info(
      `[chaos] PostgreSQL outage (2.5 s, all connections cut): ${runIds.length} runs succeeded, ` +
        `${resumed} resumptions, ${checked} events checked against ${subscribers.length} live subscribers, lost: 0`,
    );
  });
});
