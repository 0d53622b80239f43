import { describe, expect, it } from "vitest";
import { useTestPrisma } from "../../test/helpers/db.ts";
import { Prisma } from "./prisma.ts";

const prisma = useTestPrisma();

const newRun = async () => {
  const wf = await prisma.workflow.create({
    data: {
      project: { connect: { name: "default" } },
      name: "demo",
      graphJson: { version: "1", entry: "a", nodes: [], edges: [] },
    },
  });
  return prisma.workflowRun.create({ data: { workflowId: wf.id } });
};

describe("data model", () => {
  it("creates runs in the spec's initial state", async () => {
    const run = await newRun();
    expect(run.status).toBe("queued");
    expect(run.totalTokens).toBe(0);
    expect(run.totalCostCents.toString()).toBe("0");
    expect(run.inputVars).toEqual({});
  });

  it("stores costs exactly: a thousand 0.0001-cent steps sum to exactly 0.1 cents", async () => {
    const run = await newRun();
    await prisma.runStep.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        runId: run.id,
        nodeId: `n${i}`,
        nodeType: "llm" as const,
        costCents: new Prisma.Decimal("0.0001"),
      })),
    });
    const sum = await prisma.runStep.aggregate({ where: { runId: run.id }, _sum: { costCents: true } });
    expect(sum._sum.costCents?.toString()).toBe("0.1");
    // The float sum would not be exact:
    expect(Array.from({ length: 1000 }, () => 0.0001).reduce((a, b) => a + b, 0)).not.toBe(0.1);
    const tiny = await prisma.runStep.create({
      data: { runId: run.id, nodeId: "tiny", nodeType: "llm", costCents: new Prisma.Decimal("0.00000015") },
    });
    expect(tiny.costCents?.toString()).toBe("1.5e-7");
    const pico = await prisma.runStep.create({
      data: { runId: run.id, nodeId: "pico", nodeType: "llm", costCents: new Prisma.Decimal("0.000000000001") },
    });
    expect(pico.costCents?.toFixed(12)).toBe("0.000000000001");
    expect(tiny.costCents?.toFixed(8)).toBe("0.00000015");
  });

  it("enforces a unique seq per run and allows the same seq in another run", async () => {
    const a = await newRun();
    const b = await newRun();
    const ev = (runId: string, seq: number) => ({ runId, seq, ts: new Date(), kind: "log", payload: { m: seq } });
    await prisma.traceEvent.create({ data: ev(a.id, 1) });
    await prisma.traceEvent.create({ data: ev(b.id, 1) });
    await expect(prisma.traceEvent.create({ data: ev(a.id, 1) })).rejects.toMatchObject({ code: "P2002" });
  });

  it("keeps one step per node per run", async () => {
    const run = await newRun();
    await prisma.runStep.create({ data: { runId: run.id, nodeId: "x", nodeType: "tool" } });
    await expect(
      prisma.runStep.create({ data: { runId: run.id, nodeId: "x", nodeType: "tool" } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("rejects statuses outside the spec's enums", async () => {
    const run = await newRun();
    await expect(
      prisma.$executeRawUnsafe(`UPDATE workflow_runs SET status = 'paused' WHERE id = '${run.id}'`),
    ).rejects.toThrow(/invalid input value for enum run_status/);
  });

  it("cascades a workflow delete to its runs, steps, events and bindings", async () => {
    const run = await newRun();
    const step = await prisma.runStep.create({ data: { runId: run.id, nodeId: "s", nodeType: "router" } });
    await prisma.traceEvent.create({
      data: { runId: run.id, stepId: step.id, seq: 1, ts: new Date(), kind: "router.branch", payload: {} },
    });
    await prisma.providerBinding.create({
      data: { workflowId: run.workflowId, provider: "openai", model: "gpt-4o-mini" },
    });
    await prisma.workflow.delete({ where: { id: run.workflowId } });
    expect(await prisma.workflowRun.count({ where: { id: run.id } })).toBe(0);
    expect(await prisma.runStep.count({ where: { runId: run.id } })).toBe(0);
    expect(await prisma.traceEvent.count({ where: { runId: run.id } })).toBe(0);
    expect(await prisma.providerBinding.count({ where: { workflowId: run.workflowId } })).toBe(0);
  });

  it("stores cache entries with expiry and hit counts", async () => {
    const entry = await prisma.llmCache.create({
      data: {
        keyHash: "a".repeat(64),
        provider: "openai",
        model: "gpt-4o-mini",
        response: { text: "hi" },
        usage: { input: 3, output: 1 },
        costCents: new Prisma.Decimal("0.00015"),
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const hit = await prisma.llmCache.update({
      where: { keyHash: entry.keyHash },
      data: { hitCount: { increment: 1 }, lastHitAt: new Date() },
    });
    expect(hit.hitCount).toBe(1);
  });
});
