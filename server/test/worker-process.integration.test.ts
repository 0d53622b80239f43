/**
 * Workers as real processes in server mode: a run enqueued through BullMQ is executed by a worker
 * process against a simulator (reached through the real SDKs via OPENAI_BASE_URL/ANTHROPIC_BASE_URL);
 * a worker killed with SIGKILL mid-run is replaced by another that resumes from the checkpoint
 * without repeating completed LLM calls, leaving a gap-free, duplicate-free event sequence.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../src/db/prisma.ts";
import { type Simulator, startSimulator } from "../src/providers/simulator/simulator.ts";
import { createBullmqQueue } from "../src/queue/bullmq-queue.ts";
import type { JobQueue } from "../src/queue/queue.ts";
import { createTestDatabase, type TestDatabase, uniqueName } from "./helpers/db.ts";
import { type Proc, startProcess, until } from "./helpers/process.ts";

let db: TestDatabase;
let prisma: PrismaClient;
let sim: Simulator;
let queue: JobQueue;
let prefix: string;
const procs: Proc[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  sim = await startSimulator({ latencyMs: 250 });
  prefix = uniqueName("ftw");
  queue = createBullmqQueue(inject("redisUrl"), { prefix });
});
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop("SIGKILL")));
});
afterAll(async () => {
  await queue.close();
  await prisma.$disconnect();
  await sim.close();
  await db.drop();
});

const worker = () => {
  const p = startProcess("server/src/main.worker.ts", {
    DATABASE_URL: db.url,
    REDIS_URL: inject("redisUrl"),
    FLOWTRACE_QUEUE_PREFIX: prefix,
    OPENAI_API_KEY: "sk-sim-worker-test",
    OPENAI_BASE_URL: sim.openaiBaseUrl,
    ANTHROPIC_API_KEY: "sk-sim-worker-test",
    ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
    FLOWTRACE_WORKER_CONCURRENCY: "2",
  });
  procs.push(p);
  return p;
};

function chain(n: number, tag: string) {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    type: "llm",
    name: `Step ${i}`,
    config: { provider: "openai", model: "gpt-4o-mini", system: `${tag} step ${i}` },
    inputs: { text: i === 0 ? "{{input.topic}}" : `{{node.s${i - 1}.output}}` },
  }));
  const edges = nodes.slice(1).map((node, i) => ({ from: `s${i}`, to: node.id }));
  return { version: "1", entry: "s0", nodes, edges };
}

async function createRun(graph: object, inputVars: object) {
  const wf = await prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: "worker test", graphJson: graph },
  });
  const run = await prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: graph, inputVars } });
  await queue.enqueue("runs", { runId: run.id }, { jobId: run.id });
  return run.id;
}

const finished = (runId: string) =>
  until(
    () => prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } }),
    (r) => r.status === "succeeded" || r.status === "failed" || r.status === "canceled",
    60_000,
  );

describe("worker processes", () => {
  it("execute a run enqueued through BullMQ", async () => {
    const w = worker();
    await w.waitFor(/worker started/);
    const runId = await createRun(chain(2, "basic"), { topic: "quarterly results" });
    const run = await finished(runId);
    expect(run.status).toBe("succeeded");
    expect(run.totalTokens).toBeGreaterThan(0);
    const events = await prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(events[0]?.kind).toBe("run.started");
    expect(events.at(-1)?.kind).toBe("run.finished");
    // Secrets never reach a trace.
    expect(JSON.stringify(events.map((e) => e.payload))).not.toContain("sk-sim-worker-test");
    expect(w.stdout() + w.stderr()).not.toContain("sk-sim-worker-test");
  });

  it("resume a run after its worker is killed, without repeating completed LLM calls", async () => {
    sim.resetCalls();
    const first = worker();
    await first.waitFor(/worker started/);
    const runId = await createRun(chain(6, "crash"), { topic: "incident review" });
    await until(
      () => prisma.runStep.count({ where: { runId, status: "succeeded" } }),
      (n) => n >= 2,
      30_000,
    );
    expect(await first.stop("SIGKILL")).toBeNull();
    const completedBeforeKill = await prisma.runStep.findMany({ where: { runId, status: "succeeded" } });

    const second = worker();
    await second.waitFor(/worker started/);
    const run = await finished(runId);
    expect(run.status).toBe("succeeded");

    // Every completed step's prompt reached the simulator exactly once.
    const okCalls = sim.calls.filter((c) => c.status === 200);
    expect(okCalls.length).toBeLessThanOrEqual(6 + 1); // at most the step in flight at the kill is repeated
    const steps = await prisma.runStep.findMany({ where: { runId } });
    expect(steps.every((s) => s.status === "succeeded")).toBe(true);
    for (const s of completedBeforeKill) {
      const requests = await prisma.traceEvent.count({ where: { runId, stepId: s.id, kind: "llm.request" } });
      expect(requests, `step ${s.nodeId} was called again`).toBe(1);
    }
    const seqs = (await prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } })).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
