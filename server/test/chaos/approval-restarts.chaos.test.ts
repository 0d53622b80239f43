/**
 * Waiting runs across restarts, in server mode: runs parked at an approval survive a SIGKILL of the
 * API and of the worker and a Redis crash that loses everything Redis held (a Redis without
 * persistence). Once everything is back, the pending approvals are all still listed, a decision
 * through the new API resumes each run down its branch, and nothing before the gate runs again.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "../helpers/db.ts";
import { until } from "../helpers/process.ts";
import {
  billedCallsByRequest,
  chaosEnvironment,
  expectCompleteTrace,
  gated,
  providerEnv,
  startApiProcess,
  startRunOverRest,
  startWorkerProcess,
  waitAllFinished,
} from "./harness.ts";
import { RedisServer } from "./subscribers.ts";

const RUNS = 12;
const chaos = chaosEnvironment({ latencyMs: 40 });
const redis = new RedisServer();

beforeAll(async () => {
  await redis.start();
  chaos.onTeardown(() => redis.close());
});

async function pendingRunIds(url: string): Promise<string[]> {
  const res = await fetch(`${url}/api/approvals?status=pending`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { approvals: { run_id: string }[] };
  return body.approvals.map((a) => a.run_id).sort();
}

async function decide(url: string, runId: string, decision: "approve" | "reject") {
  const res = await fetch(`${url}/api/runs/${runId}/approvals/gate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ decision, comment: "after the restarts" }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe("waiting runs across restarts", () => {
  it("an API SIGKILL, a worker SIGKILL and a Redis crash that loses its data lose no waiting run", async () => {
    const { db, prisma, sim, procs } = chaos;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      FLOWTRACE_QUEUE_PREFIX: uniqueName("ftrestart"),
      FLOWTRACE_WORKER_CONCURRENCY: "4",
      ...providerEnv(sim),
    };
    const first = await startApiProcess(env);
    const worker = await startWorkerProcess(env);
    procs.push(first.proc, worker);
    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i++)
      runIds.push(await startRunOverRest(first.url, gated(`restart-${i}`), { topic: `r${i}` }));
    await until(
      () => prisma.workflowRun.count({ where: { id: { in: runIds }, status: "waiting" } }),
      (n) => n === RUNS,
      60_000,
    );

    expect(await first.proc.stop("SIGKILL")).toBeNull();
    expect(await worker.stop("SIGKILL")).toBeNull();
    await redis.kill();
    await redis.wipe();
    await redis.start();
    const second = await startApiProcess(env);
    procs.push(second.proc, await startWorkerProcess(env));

    expect(await pendingRunIds(second.url)).toEqual([...runIds].sort());
    for (const [i, id] of runIds.entries()) await decide(second.url, id, i % 2 ? "reject" : "approve");
    const runs = await waitAllFinished(prisma, runIds, 90_000);
    expect(runs.filter((r) => r.status !== "succeeded")).toEqual([]);
    expect(await pendingRunIds(second.url)).toEqual([]);

    const steps = await prisma.runStep.findMany({ where: { runId: { in: runIds } } });
    for (const [i, id] of runIds.entries()) {
      const status = (node: string) => steps.find((s) => s.runId === id && s.nodeId === node)?.status;
      expect([status("publish"), status("revise")], id).toEqual(
        i % 2 ? ["skipped", "succeeded"] : ["succeeded", "skipped"],
      );
      await expectCompleteTrace(prisma, id);
    }
    const billed = billedCallsByRequest(sim.calls);
    expect(billed.size).toBe(RUNS * 2);
    expect([...billed.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  });
});
