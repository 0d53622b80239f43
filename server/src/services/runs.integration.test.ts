import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";
import { createPrismaClient, type PrismaClient } from "../db/prisma.ts";
import { SPEC_EXAMPLE } from "../domain/workflow/examples.ts";
import { createMemoryQueue } from "../queue/memory-queue.ts";
import { createMemoryPubSub } from "../realtime/memory-pubsub.ts";
import { cancelRun, InvalidWorkflowError, NotFoundError, type RunServiceDeps, reapDeadRuns, startRun } from "./runs.ts";

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
    const wf = await prisma.workflow.create({ data: { name: "spec", graphJson: SPEC_EXAMPLE as object } });
    const run = await startRun(deps, { workflowId: wf.id, inputVars: { topic: "x" } });
    expect(run.status).toBe("queued");
    expect(run.graphSnapshot).toEqual(SPEC_EXAMPLE);
    await new Promise((r) => setTimeout(r, 20));
    expect(enqueued).toContain(run.id);
  });

  it("refuses unknown workflows and invalid documents with their issues", async () => {
    await expect(startRun(deps, { workflowId: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
    const wf = await prisma.workflow.create({
      data: { name: "bad", graphJson: { version: "1", entry: "x", nodes: [] } },
    });
    const error = await startRun(deps, { workflowId: wf.id }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidWorkflowError);
    expect(error.issues).toContainEqual({ path: "nodes", message: "expected at least one node" });
  });

  it("cancels a queued run at once, and reports finished runs as not cancelable", async () => {
    const wf = await prisma.workflow.create({ data: { name: "c", graphJson: SPEC_EXAMPLE as object } });
    const run = await prisma.workflowRun.create({ data: { workflowId: wf.id } });
    expect(await cancelRun(deps, run.id)).toBe(true);
    expect((await prisma.workflowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("canceled");
    expect(await cancelRun(deps, run.id)).toBe(false);
  });

  it("reaps runs whose executor was lost, and only those", async () => {
    const wf = await prisma.workflow.create({ data: { name: "r", graphJson: SPEC_EXAMPLE as object } });
    const now = new Date();
    const old = await prisma.workflowRun.create({
      data: {
        workflowId: wf.id,
        status: "running",
        startedAt: new Date(now.getTime() - 60 * 60_000),
        graphSnapshot: { ...SPEC_EXAMPLE, limits: { timeoutSeconds: 120 } } as object,
      },
    });
    await prisma.runStep.create({ data: { runId: old.id, nodeId: "ingest", nodeType: "tool", status: "running" } });
    const recent = await prisma.workflowRun.create({
      data: {
        workflowId: wf.id,
        status: "running",
        startedAt: new Date(now.getTime() - 60_000),
        graphSnapshot: SPEC_EXAMPLE as object,
      },
    });
    const reaped = await reapDeadRuns(prisma, { now });
    expect(reaped).toContain(old.id);
    expect(reaped).not.toContain(recent.id);
    const row = await prisma.workflowRun.findUniqueOrThrow({ where: { id: old.id } });
    expect(row.status).toBe("failed");
    expect(row.errorSummary).toMatch(/^reaped: no executor finished this run within its 120 s deadline/);
    expect((await prisma.runStep.findFirstOrThrow({ where: { runId: old.id } })).status).toBe("canceled");
  });
});
