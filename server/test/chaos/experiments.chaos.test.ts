/**
 * Experiments under chaos. In server mode (an API process, worker processes on BullMQ and Redis),
 * every worker is SIGKILLed in the middle of an experiment: a new worker resumes it, no item gets a
 * second run, no finished item is scored again, and no provider call is paid twice. In process, 30%
 * transient provider faults leave the pass rate where it is without them: retries and fallbacks
 * recover every call.
 */
import { describe, expect, inject, it } from "vitest";
import type { Fault } from "../../src/providers/simulator/simulator.ts";
import { uniqueName } from "../helpers/db.ts";
import type { Proc } from "../helpers/process.ts";
import { until } from "../helpers/process.ts";
import { startStack } from "../helpers/stack.ts";
import {
  billedCallsByRequest,
  chain,
  chaosEnvironment,
  providerEnv,
  startApiProcess,
  startWorkerProcess,
} from "./harness.ts";

const chaos = chaosEnvironment({ latencyMs: 80 });

async function post(url: string, path: string, body: object) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface ExperimentBody {
  status: string;
  summary: { scored: number; pass_rate: number; failed_runs: number };
  items: { run_id: string | null; scored: boolean; passed: boolean }[];
}

async function experiment(url: string, id: string): Promise<ExperimentBody> {
  return (await (await fetch(`${url}/api/experiments/${id}`)).json()) as ExperimentBody;
}

/** Half the items expect their topic in the answer (the simulator quotes it), half expect "zebra". */
const itemsFor = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    input_vars: { topic: `${tag}-${i}` },
    expected: i % 2 ? "zebra" : `${tag}-${i}`,
  }));

describe("experiments under chaos", () => {
  it("every worker SIGKILLed mid-experiment: a new one resumes it, no item runs or scores twice", async () => {
    const { db, prisma, sim, procs } = chaos;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: inject("redisUrl"),
      FLOWTRACE_QUEUE_PREFIX: uniqueName("ftexp"),
      FLOWTRACE_WORKER_CONCURRENCY: "6",
      FLOWTRACE_JOB_LOCK_MS: "1500",
      ...providerEnv(sim),
    };
    const api = await startApiProcess(env);
    procs.push(api.proc);
    const workers: Proc[] = [await startWorkerProcess(env), await startWorkerProcess(env)];
    procs.push(...workers);

    const { id: workflowId } = await post(api.url, "/api/workflows", {
      name: "exp chaos",
      graph_json: chain(2, "exp"),
    });
    const { id: datasetId } = await post(api.url, "/api/datasets", { name: "chaos", items: itemsFor(40, "crash") });
    const { experimentId } = await post(api.url, `/api/workflows/${workflowId}/experiments`, {
      dataset_id: datasetId,
      concurrency: 6,
      scorers: [{ type: "contains" }],
    });
    const id = experimentId as string;
    await until(
      () => experiment(api.url, id),
      (e) => e.summary.scored >= 8,
      60_000,
    );
    for (const w of workers) expect(await w.stop("SIGKILL")).toBeNull();
    const scoredBefore = await prisma.experimentItem.findMany({ where: { experimentId: id, status: "scored" } });
    procs.push(await startWorkerProcess(env));

    const done = await until(
      () => experiment(api.url, id),
      (e) => e.status !== "running" && e.status !== "queued",
      120_000,
    );
    expect(done.status).toBe("succeeded");
    expect(done.summary).toMatchObject({ scored: 40, pass_rate: 0.5, failed_runs: 0 });
    // One run per item, no more: a claimed item is never started again.
    expect(new Set(done.items.map((i) => i.run_id)).size).toBe(40);
    expect(await prisma.workflowRun.count({ where: { workflowId: workflowId as string } })).toBe(40);
    // What was scored before the crash was not scored again.
    const after = await prisma.experimentItem.findMany({ where: { id: { in: scoredBefore.map((i) => i.id) } } });
    expect(after.map((i) => i.scoredAt?.getTime())).toEqual(scoredBefore.map((i) => i.scoredAt?.getTime()));
    // Every step of every item's run was paid once (a call cut by the crash is replayed, not re-billed).
    const billed = billedCallsByRequest(sim.calls);
    expect(billed.size).toBe(80);
    expect([...billed.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    console.info(
      `[chaos] experiment: 40 items, ${scoredBefore.length} scored before 2 SIGKILLs, resumed by a new worker`,
    );
  });

  it("30% transient provider faults leave the pass rate where it is without them", async () => {
    const stack = await startStack({ concurrency: 8, latencyMs: 2 });
    try {
      const graph = chain(2, "faulty");
      const uncached = {
        ...graph,
        nodes: graph.nodes.map((n) => ({ ...n, config: { ...n.config, cache: false, timeoutMs: 2_000 } })),
      };
      const { id: workflowId } = await post(stack.url, "/api/workflows", { name: "faults", graph_json: uncached });
      const { id: datasetId } = await post(stack.url, "/api/datasets", {
        name: "faults",
        items: itemsFor(30, "fault"),
      });
      const run = async () => {
        const { experimentId } = await post(stack.url, `/api/workflows/${workflowId}/experiments`, {
          dataset_id: datasetId,
          concurrency: 8,
          scorers: [{ type: "contains" }],
        });
        return until(
          () => experiment(stack.url, experimentId as string),
          (e) => e.status === "succeeded",
          120_000,
        );
      };
      const calm = await run();
      const kinds: Fault[] = [
        { kind: "status", status: 429, retryAfterSeconds: 0.05 },
        { kind: "status", status: 500 },
        { kind: "status", status: 529 },
        { kind: "reset" },
      ];
      const p = 1 - (1 - 0.3) ** (1 / kinds.length);
      stack.sim.setFaults(kinds.map((f) => ({ ...f, probability: p })));
      const before = stack.sim.calls.length;
      const stormy = await run();
      const faulted = stack.sim.calls.slice(before).filter((c) => c.status >= 400 || !c.completed).length;
      expect(faulted).toBeGreaterThan(10);
      expect(stormy.summary.failed_runs).toBe(0);
      expect(stormy.summary.pass_rate).toBe(calm.summary.pass_rate);
      expect(stormy.items.map((i) => i.passed)).toEqual(calm.items.map((i) => i.passed));
      console.info(
        `[chaos] experiment with faults: ${faulted} faulted calls, pass rate ${stormy.summary.pass_rate} both times`,
      );
    } finally {
      await stack.close();
    }
  });
});
