/**
 * Worker crashes: worker processes (BullMQ on the real Redis, the real PostgreSQL) are SIGKILLed at
 * 20 random moments while multi-step runs (sequential chains and a parallel fan-out) execute.
 * Replacement workers finish every run; no completed LLM call is paid for twice (counted at the
 * simulator, which honours Idempotency-Key); every trace is gap-free and duplicate-free; no run is
 * left `running`; no provider key reaches a log line or a stored event.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { seededRandom } from "../../src/providers/simulator/simulator.ts";
import { createBullmqQueue } from "../../src/queue/bullmq-queue.ts";
import type { JobQueue } from "../../src/queue/queue.ts";
import { uniqueName } from "../helpers/db.ts";
import { type Proc, startProcess } from "../helpers/process.ts";
import {
  billedCallsByRequest,
  chain,
  chaosEnvironment,
  createRun,
  expectCompleteTrace,
  expectNoSecrets,
  fanOut,
  providerEnv,
  waitAllFinished,
} from "./harness.ts";

const KILLS = 20;
const chaos = chaosEnvironment({ latencyMs: 120, chunkDelayMs: 2 });
const prefix = uniqueName("ftcrash");
let queue: JobQueue;

beforeAll(() => {
  queue = createBullmqQueue(inject("redisUrl"), { prefix });
  chaos.onTeardown(() => queue.close());
});

function worker(): Proc {
  const p = startProcess("server/src/main.worker.ts", {
    DATABASE_URL: chaos.db.url,
    REDIS_URL: inject("redisUrl"),
    FLOWTRACE_QUEUE_PREFIX: prefix,
    FLOWTRACE_WORKER_CONCURRENCY: "3",
    // A killed worker's runs move on quickly (the default is 10 s).
    FLOWTRACE_JOB_LOCK_MS: "1500",
    ...providerEnv(chaos.sim),
  });
  chaos.procs.push(p);
  return p;
}

describe("worker crash", () => {
  it(`finishes every run after ${KILLS} SIGKILLs, without repeating a completed LLM call`, async () => {
    const { prisma, sim, procs } = chaos;
    const random = seededRandom(20261124);
    const live: Proc[] = [worker(), worker(), worker()];
    await Promise.all(live.map((w) => w.waitFor(/worker started/)));

    const runIds: string[] = [];
    let fed = 0;
    const feed = async () => {
      const n = fed++;
      const graph = n % 4 === 3 ? fanOut(`crash-${n}`) : chain(6, `crash-${n}`);
      runIds.push(await createRun(prisma, queue, graph, { topic: `incident ${n} review` }));
    };
    for (let i = 0; i < 6; i++) await feed();

    const killedWhileBusy: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 250 + Math.floor(random() * 900)));
      await feed();
      const ready = live.filter((w) => /worker started/.test(w.stdout()));
      const victim = ready[Math.floor(random() * ready.length)] ?? live[0];
      if (!victim) throw new Error("no worker to kill");
      killedWhileBusy.push(await prisma.workflowRun.count({ where: { status: "running" } }));
      expect(await victim.stop("SIGKILL")).toBeNull();
      live.splice(live.indexOf(victim), 1);
      live.push(worker());
    }

    const runs = await waitAllFinished(prisma, runIds, 180_000);
    expect(runs.map((r) => [r.id, r.status, r.errorSummary]).filter(([, s]) => s !== "succeeded")).toEqual([]);
    expect(await prisma.workflowRun.count({ where: { status: { in: ["running", "queued"] } } })).toBe(0);
    // The kills really hit runs in flight.
    expect(killedWhileBusy.filter((n) => n > 0).length).toBeGreaterThanOrEqual(KILLS - 2);

    let events = 0;
    for (const id of runIds) events += await expectCompleteTrace(prisma, id);
    const steps = await prisma.runStep.findMany({ where: { runId: { in: runIds } } });
    expect(steps.filter((s) => s.status !== "succeeded")).toEqual([]);

    // Every LLM node of every run was answered once and paid for once.
    const billed = billedCallsByRequest(sim.calls);
    expect(billed.size).toBe(steps.length);
    const repeated = [...billed.entries()].filter(([, n]) => n !== 1);
    expect(repeated).toEqual([]);
    const replays = sim.calls.filter((c) => c.replayed).length;
    const resumedWithRecorded = await prisma.traceEvent.count({
      where: { runId: { in: runIds }, kind: "log", payload: { path: ["message"], string_contains: "reused the" } },
    });

    // Secrets: no key in any stored event, step error or worker output.
    const stored = await prisma.traceEvent.findMany({ where: { runId: { in: runIds } }, select: { payload: true } });
    expectNoSecrets("trace events", JSON.stringify(stored));
    expectNoSecrets("run steps", JSON.stringify(steps));
    for (const p of procs) expectNoSecrets("worker output", p.stdout() + p.stderr());

    console.info(
      `[chaos] worker crash: ${runIds.length} runs, ${steps.length} LLM steps, ${KILLS} SIGKILLs ` +
        `(${killedWhileBusy.filter((n) => n > 0).length} with runs in flight), ${events} events checked, ` +
        `${replays} idempotent replays, ${resumedWithRecorded} answers reused from the trace, repeated calls: 0`,
    );
  });
});
