/** The trace recorder on real PostgreSQL: stored-then-published events, and coalesced live text. */
import { describe, expect, it } from "vitest";
import { useTestPrisma } from "../../test/helpers/db.ts";
import { llmResponsePayload, runStartedPayload, stepFinishedPayload } from "../../test/helpers/payloads.ts";
import { channels, type DeltaEvent, eventsOf, type TraceEvent } from "../domain/trace/events.ts";
import { finishedRow, runningMark } from "../engine/run-store.ts";
import { createMemoryPubSub } from "../realtime/memory-pubsub.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import { TraceConflictError, TraceRecorder } from "./recorder.ts";

const prisma = useTestPrisma();

/** A pub/sub that logs every publication, in the order they were made, across channels. */
function loggingPubSub() {
  const inner = createMemoryPubSub();
  const log: { channel: string; message: unknown }[] = [];
  const pubsub: PubSub = {
    ...inner,
    publish: async (channel, message) => {
      log.push({ channel, message: JSON.parse(JSON.stringify(message)) });
      await inner.publish(channel, message);
    },
  };
  return { pubsub, log };
}

async function newRun() {
  const wf = await prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: "rec", graphJson: {} },
  });
  return (await prisma.workflowRun.create({ data: { workflowId: wf.id } })).id;
}

describe("TraceRecorder", () => {
  it("sends a streamed answer's tokens as a few messages, whole and in order, before the step's next event", async () => {
    const runId = await newRun();
    const step = await prisma.runStep.create({ data: { runId, nodeId: "a", nodeType: "llm" } });
    const { pubsub, log } = loggingPubSub();
    const recorder = await TraceRecorder.open(prisma, pubsub, runId, { deltaIntervalMs: 50 });
    const tokens = Array.from({ length: 300 }, (_, i) => `t${i} `);
    for (const t of tokens.slice(0, 150)) recorder.delta(step.id, t);
    recorder.delta("step-b", "other step");
    for (const t of tokens.slice(150)) recorder.delta(step.id, t);
    recorder.emit("llm.response", step.id, llmResponsePayload(tokens.join("")));
    await recorder.close();

    const deltas = log.filter((l) => l.channel === channels.deltas(runId)).map((l) => l.message as DeltaEvent);
    expect(deltas.length).toBeLessThanOrEqual(3); // 300 tokens: one message per step (and per 4 KiB)
    const textOf = (stepId: string) =>
      deltas
        .filter((d) => d.stepId === stepId)
        .map((d) => d.text)
        .join("");
    expect(textOf(step.id)).toBe(tokens.join(""));
    expect(textOf("step-b")).toBe("other step");
    expect(deltas.every((d) => d.kind === "llm.delta" && d.runId === runId)).toBe(true);
    // The waiting text went out before the response that ends it.
    const lastDelta = log.findLastIndex((l) => l.channel === channels.deltas(runId));
    const firstStored = log.findIndex((l) => l.channel === channels.events(runId));
    expect(lastDelta).toBeLessThan(firstStored);
  });

  it("sends waiting text after the interval when nothing else happens, and at once past 4 KiB", async () => {
    const runId = await newRun();
    const { pubsub, log } = loggingPubSub();
    const recorder = await TraceRecorder.open(prisma, pubsub, runId, { deltaIntervalMs: 30 });
    recorder.delta("s", "hello ");
    recorder.delta("s", "world");
    expect(log).toEqual([]);
    await new Promise((r) => setTimeout(r, 80));
    expect(log.map((l) => (l.message as DeltaEvent).text)).toEqual(["hello world"]);
    recorder.delta("s", "x".repeat(5_000));
    expect(log.map((l) => (l.message as DeltaEvent).text.length)).toEqual([11, 5_000]);
    await recorder.close();
  });

  it("publishes a batch only once the writes it waits for are done, and fails with them", async () => {
    const runId = await newRun();
    const { pubsub, log } = loggingPubSub();
    const recorder = await TraceRecorder.open(prisma, pubsub, runId);
    let finishRow = () => {};
    const row = new Promise<void>((resolve) => {
      finishRow = resolve;
    });
    recorder.emit("step.finished", null, stepFinishedPayload("a"));
    const flushed = recorder.flush({ publishAfter: row });
    await new Promise((r) => setTimeout(r, 100));
    expect(await prisma.traceEvent.count({ where: { runId } })).toBe(1); // stored meanwhile…
    expect(log).toEqual([]); // …but not shown before the row is written
    finishRow();
    await flushed;
    expect(log.map((l) => eventsOf(l.message).map((e) => e.kind))).toEqual([["step.finished"]]);

    recorder.emit("step.finished", null, stepFinishedPayload("b"));
    const failing = Promise.reject(new Error("row write failed"));
    failing.catch(() => {}); // as the executor does: observed by the flush, later
    await expect(recorder.flush({ publishAfter: failing })).rejects.toThrow("row write failed");
    expect(log).toHaveLength(1);
  });

  it("stores a step's row in the statement of its events, the final row replacing a waiting running mark", async () => {
    const runId = await newRun();
    const step = await prisma.runStep.create({ data: { runId, nodeId: "a", nodeType: "llm" } });
    const shown: string[] = [];
    const inner = createMemoryPubSub();
    const pubsub: PubSub = {
      ...inner,
      publish: async (channel, message) => {
        // Whoever is shown the batch can read the row it speaks of.
        const row = await prisma.runStep.findUniqueOrThrow({ where: { id: step.id } });
        shown.push(`${eventsOf(message).map((e) => e.kind)}:${row.status}`);
        await inner.publish(channel, message);
      },
    };
    const recorder = await TraceRecorder.open(prisma, pubsub, runId, { flushIntervalMs: 10_000 });
    recorder.writeStepRow(step.id, runningMark(step.id, new Date()));
    recorder.emit("step.started", step.id, { nodeId: "a", type: "llm", name: "A" });
    await recorder.flush();
    expect((await prisma.runStep.findUniqueOrThrow({ where: { id: step.id } })).status).toBe("running");

    recorder.writeStepRow(step.id, runningMark(step.id, new Date()));
    recorder.emit("step.finished", step.id, stepFinishedPayload("a"));
    const result = { output: "hi", tokensInput: 3, tokensOutput: 4, cost: null, cached: false, model: "m" };
    const finishedAt = new Date("2026-12-06T10:00:00.000Z");
    recorder.writeStepRow(
      step.id,
      finishedRow(step.id, { result, output: { text: "hi" }, latencyMs: 12, startedAt: finishedAt, finishedAt }),
    );
    await recorder.flush();
    const row = await prisma.runStep.findUniqueOrThrow({ where: { id: step.id } });
    expect(row).toMatchObject({
      status: "succeeded",
      latencyMs: 12,
      tokensInput: 3,
      tokensOutput: 4,
      costCents: null,
      model: "m",
      output: { text: "hi" },
    });
    expect(row.finishedAt?.toISOString()).toBe(finishedAt.toISOString());
    expect(shown).toEqual(["step.started:running", "step.finished:succeeded"]);

    // A late running mark never reopens a finished step.
    recorder.writeStepRow(step.id, runningMark(step.id, new Date()));
    await recorder.close();
    expect((await prisma.runStep.findUniqueOrThrow({ where: { id: step.id } })).status).toBe("succeeded");
  });

  it("tells its own retried rows from another executor's, and stops on the latter", async () => {
    const runId = await newRun();
    const pubsub = createMemoryPubSub();
    const first = await TraceRecorder.open(prisma, pubsub, runId);
    const second = await TraceRecorder.open(prisma, pubsub, runId); // both start after seq 0
    const failures: unknown[] = [];
    second.onFailure((e) => failures.push(e));
    first.emit("run.started", null, runStartedPayload());
    await first.flush();
    // A retry of rows this recorder already stored (a commit whose answer was lost) is not a conflict.
    const insert = (first as unknown as { insert(b: TraceEvent[]): Promise<void> }).insert.bind(first);
    await insert(first.emitted);

    second.emit("log", null, { level: "info", message: "the other executor" });
    await expect(second.flush()).rejects.toBeInstanceOf(TraceConflictError);
    expect(failures).toHaveLength(1);
    expect(() => second.emit("log", null, { level: "info", message: "again" })).toThrow(TraceConflictError);
    const rows = await prisma.traceEvent.findMany({ where: { runId } });
    expect(rows.map((r) => r.kind)).toEqual(["run.started"]);
  });

  it("stores events with gap-free seqs and publishes each batch only after it is stored", async () => {
    const runId = await newRun();
    const inner = createMemoryPubSub();
    const checked: boolean[] = [];
    const pubsub: PubSub = {
      ...inner,
      publish: async (channel, message) => {
        const batch = eventsOf(message);
        const stored = await prisma.traceEvent.count({ where: { runId, seq: { in: batch.map((e) => e.seq) } } });
        checked.push(stored === batch.length);
        await inner.publish(channel, message);
      },
    };
    const recorder = await TraceRecorder.open(prisma, pubsub, runId, { batchSize: 10 });
    for (let i = 0; i < 95; i++) recorder.emit("log", null, { level: "info", message: `m${i}` });
    await recorder.close();
    await new Promise((r) => setTimeout(r, 50));
    const rows = await prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
    expect(checked.length).toBeGreaterThanOrEqual(10);
    expect(checked.every(Boolean)).toBe(true);

    // Reopened (a resumed run), the sequence continues after the stored events.
    const again = await TraceRecorder.open(prisma, pubsub, runId);
    const next: TraceEvent = again.emit("log", null, { level: "info", message: "resumed" });
    await again.close();
    expect(next.seq).toBe(96);
  });
});
