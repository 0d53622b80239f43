/**
 * Graceful shutdown under load: while clients keep starting runs and a live SSE client follows a long
 * run, the API process gets SIGTERM (a replacement takes over, as behind a load balancer) and then a
 * worker gets SIGTERM (its runs are handed back and finished by another worker). No request whose
 * connection was accepted goes unanswered, every accepted run finishes, and no event is lost or
 * repeated — for the stored traces and for the live client that moved from one API to the other.
 */
import http from "node:http";
import { describe, expect, inject, it } from "vitest";
import { uniqueName } from "../helpers/db.ts";
import { until } from "../helpers/process.ts";
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
import { collectSse } from "./subscribers.ts";

const chaos = chaosEnvironment({ latencyMs: 120 });

type Outcome =
  | { kind: "accepted"; runId: string; via: string }
  | { kind: "refused" }
  | { kind: "dropped"; error: string };

/** POST on a fresh connection: ECONNREFUSED means "not accepted"; any other failure is a dropped request. */
function postRun(base: string, workflowId: string, n: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ input_vars: { topic: `load ${n}` } });
    const req = http.request(
      `${base}/api/workflows/${workflowId}/runs`,
      { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": body.length } },
      (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => {
          if (res.statusCode === 202) resolve({ kind: "accepted", runId: JSON.parse(text).runId, via: base });
          else resolve({ kind: "dropped", error: `HTTP ${res.statusCode}: ${text}` });
        });
        res.on("error", (e) => resolve({ kind: "dropped", error: e.message }));
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) =>
      resolve(e.code === "ECONNREFUSED" ? { kind: "refused" } : { kind: "dropped", error: `${e.code} ${e.message}` }),
    );
    req.end(body);
  });
}

describe("graceful shutdown", () => {
  it("SIGTERM to the API and to a worker under load drops no accepted request and no event", async () => {
    const { db, prisma, sim, procs } = chaos;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: inject("redisUrl"),
      FLOWTRACE_QUEUE_PREFIX: uniqueName("ftterm"),
      FLOWTRACE_WORKER_CONCURRENCY: "6",
      FLOWTRACE_SHUTDOWN_DRAIN_MS: "1000",
      ...providerEnv(sim),
    };
    const apiA = await startApiProcess(env);
    const w1 = await startWorkerProcess(env);
    const w2 = await startWorkerProcess(env);
    procs.push(apiA.proc, w1, w2);
    let current = apiA.url;

    const wf = await fetch(`${current}/api/workflows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "load", graph_json: chain(2, "term") }),
    });
    const workflowId = ((await wf.json()) as { id: string }).id;
    const longRun = await startRunOverRest(current, chain(20, "term-long"), { topic: "long" });
    const live = collectSse(() => current, longRun, { deadlineMs: 120_000 });

    const outcomes: Outcome[] = [];
    let stop = false;
    let n = 0;
    // Requests to the first API that were in flight when it got SIGTERM: all must be answered.
    let inflightAtSigterm = 0;
    let sigtermAt = Number.POSITIVE_INFINITY;
    const loop = async () => {
      while (!stop) {
        const via = current;
        const sent = Date.now();
        const o = await postRun(via, workflowId, n++);
        if (via === apiA.url && o.kind !== "refused" && sent <= sigtermAt && Date.now() >= sigtermAt) {
          inflightAtSigterm++;
        }
        outcomes.push(o);
        await new Promise((r) => setTimeout(r, o.kind === "refused" ? 50 : 100));
      }
    };
    const loops = Array.from({ length: 5 }, loop);

    // A second API joins; then the first gets SIGTERM. The clients act as a load balancer would:
    // they keep using the first API until its /health says "draining", then switch.
    const apiB = await startApiProcess(env);
    procs.push(apiB.proc);
    await new Promise((r) => setTimeout(r, 500));
    sigtermAt = Date.now();
    const apiAExit = apiA.proc.stop("SIGTERM");
    await until(
      () => fetch(`${apiA.url}/health`).then(async (r) => ({ status: r.status, body: await r.text() })),
      (h) => h.status === 503 && h.body.includes("draining"),
      5_000,
    );
    current = apiB.url;

    await new Promise((r) => setTimeout(r, 800));
    // A worker goes away gracefully while it has runs in flight.
    const inFlight = await prisma.workflowRun.count({ where: { status: "running" } });
    const w1Exit = w1.stop("SIGTERM");
    procs.push(await startWorkerProcess(env));
    await new Promise((r) => setTimeout(r, 1_200));
    stop = true;
    await Promise.all(loops);

    expect(await apiAExit).toBe(0);
    expect(await w1Exit).toBe(0);
    const dropped = outcomes.filter((o) => o.kind === "dropped");
    expect(dropped).toEqual([]);
    const accepted = outcomes.flatMap((o) => (o.kind === "accepted" ? [o.runId] : []));
    expect(accepted.length).toBeGreaterThan(20);
    expect(inFlight).toBeGreaterThan(0);

    const runIds = [...accepted, longRun];
    const runs = await waitAllFinished(prisma, runIds, 120_000);
    expect(runs.filter((r) => r.status !== "succeeded")).toEqual([]);
    let events = 0;
    for (const id of runIds) events += await expectCompleteTrace(prisma, id);
    const followed = await live;
    const n2 = await expectCompleteTrace(prisma, longRun);
    expect(followed.seqs).toEqual(Array.from({ length: n2 }, (_, k) => k + 1));
    const handedBack = await prisma.traceEvent.count({
      where: { runId: { in: runIds }, kind: "log", payload: { path: ["message"], string_contains: "interrupted" } },
    });
    console.info(
      `[chaos] graceful shutdown: ${outcomes.length} requests (${accepted.length} accepted, ` +
        `${outcomes.filter((o) => o.kind === "refused").length} refused, 0 dropped; ` +
        `${inflightAtSigterm} in flight at the API's SIGTERM and answered), ${handedBack} steps handed back by the stopping worker, ` +
        `${runIds.length} runs and ${events} events checked, live client reconnected ${followed.reconnects}× with nothing lost`,
    );
  });
});
