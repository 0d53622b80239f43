import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";
import { createPrismaClient, type PrismaClient } from "../db/prisma.ts";
import { uuidOf } from "../domain/ids.ts";
import type { TraceEvent } from "../domain/trace/events.ts";
import { SPEC_EXAMPLE } from "../domain/workflow/examples.ts";
import { createMemoryQueue } from "../queue/memory-queue.ts";
import { createMemoryPubSub } from "../realtime/memory-pubsub.ts";
import { readTrace } from "../trace/reader.ts";
import {
  cancelRun,
  InvalidWorkflowError,
  markRunLost,
  NotFoundError,
  type RunServiceDeps,
  reapDeadRuns,
  requeueStaleQueuedRuns,
  startRun,
} from "./runs.ts";

let db: TestDatabase;
let prisma: PrismaClient;
let deps: RunServiceDeps;
const enqueued: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  const queue = createMemoryQueue();
  queue.work("runs", async (p) => void enqueued.push(p.runId), { concurrency: 1 });
  deps = { prisma, queue, pubsub: createMemoryPubSub(), providerNames: () => ["openai", "anthropic"] };
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
});

describe("run services", () => {
  it("starts a run: snapshot of the document, queued status, one job", async () => {
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "spec", graphJson: SPEC_EXAMPLE as object },
    });
    const run = await startRun(deps, { workflowId: uuidOf(wf.id), inputVars: { topic: "x" } });
    expect(run.status).toBe("queued");
    expect(run.graphSnapshot).toEqual(SPEC_EXAMPLE);
    await new Promise((r) => setTimeout(r, 20));
    expect(enqueued).toContain(run.id);
  });

  it("refuses unknown workflows and invalid documents with their issues", async () => {
    await expect(startRun(deps, { workflowId: uuidOf(randomUUID()) })).rejects.toBeInstanceOf(NotFoundError);
    const wf = await prisma.workflow.create({
      data: {
        project: { connect: { name: "default" } },
        name: "bad",
        graphJson: { version: "1", entry: "x", nodes: [] },
      },
    });
    const error = await startRun(deps, { workflowId: uuidOf(wf.id) }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidWorkflowError);
    expect(error.issues).toContainEqual({ path: "nodes", message: "expected at least one node" });
  });

  it("cancels a queued run at once, and reports finished runs as not cancelable", async () => {
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "c", graphJson: SPEC_EXAMPLE as object },
    });
    const run = await prisma.workflowRun.create({ data: { workflowId: wf.id } });
    expect(await cancelRun(deps, uuidOf(run.id))).toBe(true);
    expect((await prisma.workflowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("canceled");
    expect(await cancelRun(deps, uuidOf(run.id))).toBe(false);
  });

  it("reaps runs whose executor was lost, and only those: totals rolled up, live readers ended", async () => {
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "r", graphJson: SPEC_EXAMPLE as object },
    });
    const now = new Date();
    const old = await prisma.workflowRun.create({
      data: {
        workflowId: wf.id,
        status: "running",
        startedAt: new Date(now.getTime() - 60 * 60_000),
        graphSnapshot: { ...SPEC_EXAMPLE, limits: { timeoutSeconds: 120 } } as object,
      },
    });
    // One paid LLM call finished before the worker was lost; the next step was in flight.
    await prisma.runStep.create({
      data: {
        runId: old.id,
        nodeId: "summarize",
        nodeType: "llm",
        status: "succeeded",
        tokensInput: 1200,
        tokensOutput: 300,
        costCents: "0.4125",
        latencyMs: 850,
      },
    });
    await prisma.runStep.create({ data: { runId: old.id, nodeId: "ingest", nodeType: "tool", status: "running" } });
    await prisma.traceEvent.create({
      data: { runId: old.id, seq: 1, ts: new Date(), kind: "run.started", payload: {} },
    });
    const recent = await prisma.workflowRun.create({
      data: {
        workflowId: wf.id,
        status: "running",
        startedAt: new Date(now.getTime() - 60_000),
        graphSnapshot: SPEC_EXAMPLE as object,
      },
    });
    // A live reader of the lost run: it must end when the run is reaped, not wait forever.
    const seen: TraceEvent[] = [];
    const reading = (async () => {
      for await (const e of readTrace(deps, old.id)) seen.push(e);
    })();
    await new Promise((r) => setTimeout(r, 50));

    const reaped = await reapDeadRuns(deps, { now });
    expect(reaped).toContain(old.id);
    expect(reaped).not.toContain(recent.id);
    const row = await prisma.workflowRun.findUniqueOrThrow({ where: { id: old.id } });
    expect(row.status).toBe("failed");
    expect(row.errorSummary).toMatch(/^reaped: no executor finished this run within its 120 s deadline/);
    expect(row.totalTokens).toBe(1500);
    expect(row.totalCostCents?.toString()).toBe("0.4125");
    expect(row.totalLatencyMs).toBe(850);
    const steps = await prisma.runStep.findMany({ where: { runId: old.id }, orderBy: { nodeId: "asc" } });
    expect(steps.map((s) => [s.nodeId, s.status])).toEqual([
      ["ingest", "canceled"],
      ["summarize", "succeeded"],
    ]);

    await reading;
    expect(seen.map((e) => [e.seq, e.kind])).toEqual([
      [1, "run.started"],
      [2, "run.finished"],
    ]);
    expect(seen[1]?.payload).toMatchObject({
      status: "failed",
      totalTokens: 1500,
      totalCostCents: "0.4125",
      totalLatencyMs: 850,
    });
    expect((await prisma.workflowRun.findUniqueOrThrow({ where: { id: recent.id } })).status).toBe("running");
    // Reaping again finds nothing and writes nothing.
    expect(await reapDeadRuns(deps, { now })).not.toContain(old.id);
    expect(await prisma.traceEvent.count({ where: { runId: old.id } })).toBe(2);
  });

  it("hands runs queued for over a minute to the queue again (their job may be gone), once each", async () => {
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "stale", graphJson: SPEC_EXAMPLE as object },
    });
    const now = new Date();
    const stale = await prisma.workflowRun.create({
      data: { workflowId: wf.id, createdAt: new Date(now.getTime() - 5 * 60_000) },
    });
    const fresh = await prisma.workflowRun.create({ data: { workflowId: wf.id } });
    const running = await prisma.workflowRun.create({
      data: { workflowId: wf.id, status: "running", createdAt: new Date(now.getTime() - 5 * 60_000) },
    });
    // A queue whose jobs stay waiting (no worker), like a busy one: a job already there is not added twice.
    const queue = createMemoryQueue();
    const again = await requeueStaleQueuedRuns({ prisma, queue }, { now });
    expect(again).toContain(stale.id);
    expect(again).not.toContain(fresh.id);
    expect(again).not.toContain(running.id);
    await requeueStaleQueuedRuns({ prisma, queue }, { now }); // the next sweep, the job still waiting
    const seen: string[] = [];
    queue.work("runs", async (p) => void seen.push(p.runId), { concurrency: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((id) => id === stale.id)).toHaveLength(1);
    await queue.close();
  });

  it("a run the queue gave up on fails with its reason and its totals, once", async () => {
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "lost", graphJson: SPEC_EXAMPLE as object },
    });
    const run = await prisma.workflowRun.create({
      data: { workflowId: wf.id, status: "running", startedAt: new Date() },
    });
    await prisma.runStep.create({
      data: {
        runId: run.id,
        nodeId: "a",
        nodeType: "llm",
        status: "succeeded",
        tokensInput: 10,
        tokensOutput: 5,
        costCents: "0.0021",
        latencyMs: 40,
      },
    });
    expect(await markRunLost(deps, run.id, "job stalled more than allowable limit")).toBe(true);
    expect(await markRunLost(deps, run.id, "again")).toBe(false);
    const row = await prisma.workflowRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row).toMatchObject({ status: "failed", totalTokens: 15, totalLatencyMs: 40 });
    expect(row.errorSummary).toBe("the executor gave up on this run: job stalled more than allowable limit");
    expect(row.totalCostCents?.toString()).toBe("0.0021");
    const events = await prisma.traceEvent.findMany({ where: { runId: run.id } });
    expect(events.map((e) => e.kind)).toEqual(["run.finished"]);
    expect(events[0]?.payload).toMatchObject({ status: "failed", totalTokens: 15, totalCostCents: "0.0021" });
  });
});
