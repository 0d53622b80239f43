/** The SSE JSON PostgreSQL builds for stored events holds exactly what the live serialiser sends. */
import { describe, expect, it } from "vitest";
import { useTestPrisma } from "../../test/helpers/db.ts";
import { createMemoryPubSub } from "../realtime/memory-pubsub.ts";
import { serializedEventJson } from "../rest/serialize.ts";
import { readTraceBatches } from "./reader.ts";
import { TraceRecorder } from "./recorder.ts";
import { eventJson } from "./sse-json.ts";

const prisma = useTestPrisma();

describe("SSE event JSON", () => {
  it("equals the live serialiser's JSON for every stored event, in pages, in order", async () => {
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "sse-json", graphJson: {} },
    });
    const run = await prisma.workflowRun.create({ data: { workflowId: wf.id } });
    const step = await prisma.runStep.create({ data: { runId: run.id, nodeId: "a", nodeType: "llm" } });
    const recorder = await TraceRecorder.open(prisma, createMemoryPubSub(), run.id);
    const payloads = [
      { level: "info" as const, message: 'quotes " and \\ backslashes, a\nline break, tabs\t, \u2028 and 😀 ünïcode' },
      {
        level: "warn" as const,
        message: "numbers",
        data: { big: 2 ** 52, neg: -0.125, tiny: 1e-7, list: [1, "2", null] },
      },
      { level: "info" as const, message: "" },
    ];
    for (let i = 0; i < 7; i++) recorder.emit("log", i % 2 ? step.id : null, payloads[i % 3] as never);
    recorder.emit("run.finished", null, { status: "succeeded" } as never);
    await recorder.close();

    const batches = [];
    for await (const batch of readTraceBatches(
      { prisma, pubsub: createMemoryPubSub() },
      run.id,
      eventJson(serializedEventJson),
      { pageSize: 3 },
    )) {
      batches.push(batch);
    }
    expect(batches.map((b) => b.length)).toEqual([3, 3, 2]);
    const read = batches.flat();
    expect(read.map((e) => e.seq)).toEqual(recorder.emitted.map((e) => e.seq));
    for (const [i, e] of read.entries()) {
      const live = recorder.emitted[i] as (typeof recorder.emitted)[number];
      expect(e.kind).toBe(live.kind);
      expect(JSON.parse(e.data)).toEqual(JSON.parse(serializedEventJson(live)));
      expect(Object.keys(JSON.parse(e.data))).toEqual(["seq", "ts", "kind", "step_id", "payload"]);
      expect(e.data).not.toMatch(/[\r\n]/); // one SSE data line
    }
  });
});
