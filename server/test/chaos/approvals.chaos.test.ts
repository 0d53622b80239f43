/**
 * Approvals under chaos, in server mode (an API process, worker processes on BullMQ and Redis, the
 * real PostgreSQL): 100 runs each pause at an approval; a worker is SIGKILLed while 20 of them wait;
 * 5 clients then decide at random moments — often the same run at once — while a worker is killed
 * twice more. Every run ends down the branch its one accepted decision chose, exactly one decision
 * per run is recorded, nothing before the gate is called again, and no provider call is repeated.
 */
import { describe, expect, inject, it } from "vitest";
import { seededRandom } from "../../src/providers/simulator/simulator.ts";
import { uniqueName } from "../helpers/db.ts";
import { type Proc, until } from "../helpers/process.ts";
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

const RUNS = 100;
const CLIENTS = 5;
const chaos = chaosEnvironment({ latencyMs: 60 });

interface Accepted {
  runId: string;
  decision: "approve" | "reject";
}

/** One deciding client: picks pending approvals at random and decides them, until told to stop. */
async function decider(url: string, seed: number, accepted: Accepted[], stop: () => boolean) {
  const random = seededRandom(seed);
  let conflicts = 0;
  while (!stop()) {
    const res = await fetch(`${url}/api/approvals`).catch(() => null);
    const pending = res?.ok ? ((await res.json()) as { approvals: { run_id: string }[] }).approvals : [];
    // Often the same few runs: other clients are deciding them at the same moment.
    for (const a of pending.slice(0, 3).filter(() => random() < 0.7)) {
      const decision = random() < 0.5 ? "approve" : "reject";
      const r = await fetch(`${url}/api/runs/${a.run_id}/approvals/gate`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-flowtrace-actor": `client-${seed}` },
        body: JSON.stringify({ decision }),
      });
      if (r.status === 200) accepted.push({ runId: a.run_id, decision });
      else if (r.status === 409) conflicts++;
      else throw new Error(`decision answered ${r.status}: ${await r.text()}`);
    }
    await new Promise((r) => setTimeout(r, 20 + random() * 150));
  }
  return conflicts;
}

describe("approvals under chaos", () => {
  it(`${RUNS} gated runs, ${CLIENTS} deciding clients, 3 worker SIGKILLs: one decision per run, its branch only`, async () => {
    const { db, prisma, sim, procs } = chaos;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: inject("redisUrl"),
      FLOWTRACE_QUEUE_PREFIX: uniqueName("ftgate"),
      FLOWTRACE_WORKER_CONCURRENCY: "8",
      FLOWTRACE_JOB_LOCK_MS: "1500",
      ...providerEnv(sim),
    };
    const api = await startApiProcess(env);
    procs.push(api.proc);
    const workers: Proc[] = [];
    const addWorker = async () => {
      const w = await startWorkerProcess(env);
      procs.push(w);
      workers.push(w);
    };
    const killOne = async () => {
      const victim = workers.shift() as Proc;
      expect(await victim.stop("SIGKILL")).toBeNull();
      await addWorker();
    };
    await addWorker();
    await addWorker();

    const runIds: string[] = [];
    for (let i = 0; i < 20; i++) runIds.push(await startRunOverRest(api.url, gated(`gate-${i}`), { topic: `t${i}` }));
    // A worker dies while 20 runs wait: waiting runs hold no job, so nothing is lost.
    await until(
      () => prisma.workflowRun.count({ where: { id: { in: runIds }, status: "waiting" } }),
      (n) => n === 20,
      60_000,
    );
    await killOne();

    const accepted: Accepted[] = [];
    let stop = false;
    const clients = Array.from({ length: CLIENTS }, (_, i) => decider(api.url, 7 + i, accepted, () => stop));
    for (let i = 20; i < RUNS; i++) {
      runIds.push(await startRunOverRest(api.url, gated(`gate-${i}`), { topic: `t${i}` }));
      if (i === 45 || i === 75) await killOne();
    }
    const runs = await waitAllFinished(prisma, runIds, 200_000);
    stop = true;
    const conflicts = (await Promise.all(clients)).reduce((a, b) => a + b, 0);

    expect(runs.filter((r) => r.status !== "succeeded")).toEqual([]);
    // Exactly one accepted decision per run, and it is the one recorded.
    const perRun = new Map<string, Accepted[]>();
    for (const a of accepted) perRun.set(a.runId, [...(perRun.get(a.runId) ?? []), a]);
    expect([...perRun.values()].filter((list) => list.length !== 1)).toEqual([]);
    expect(perRun.size).toBe(RUNS);
    const approvals = await prisma.approval.findMany({ where: { runId: { in: runIds } } });
    expect(approvals).toHaveLength(RUNS);
    const steps = await prisma.runStep.findMany({ where: { runId: { in: runIds } } });
    for (const a of approvals) {
      const decision = perRun.get(a.runId)?.[0]?.decision;
      expect(a.status, a.runId).toBe(decision === "approve" ? "approved" : "rejected");
      const status = (node: string) => steps.find((s) => s.runId === a.runId && s.nodeId === node)?.status;
      expect([status("publish"), status("revise")], a.runId).toEqual(
        decision === "approve" ? ["succeeded", "skipped"] : ["skipped", "succeeded"],
      );
    }
    for (const id of runIds) {
      await expectCompleteTrace(prisma, id);
      expect(await prisma.traceEvent.count({ where: { runId: id, kind: "approval.resolved" } })).toBe(1);
    }
    // Every LLM step ran once and was paid once: draft before the gate, one branch after it.
    const billed = billedCallsByRequest(sim.calls);
    expect(billed.size).toBe(RUNS * 2);
    expect([...billed.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    console.info(
      `[chaos] approvals: ${RUNS} runs, ${accepted.length} accepted decisions, ${conflicts} refused (409), 3 SIGKILLs, repeated calls: 0`,
    );
  });
});
