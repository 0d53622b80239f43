/**
 * One trace per run across a worker SIGKILL (server mode, OTLP to a real receiver): each run keeps
 * the trace its caller's traceparent named, has exactly one run span, and every step span — from
 * the killed worker and from the one that resumed the run — hangs under that run span.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uniqueName } from "../helpers/db.ts";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../helpers/otlp.ts";
import { until } from "../helpers/process.ts";
import {
  chain,
  chaosEnvironment,
  providerEnv,
  startApiProcess,
  startWorkerProcess,
  waitAllFinished,
} from "./harness.ts";

const chaos = chaosEnvironment({ latencyMs: 150 });
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver?.close());

const traceFor = (i: number) => `${"ab".repeat(12)}${String(i).padStart(8, "0")}`;

describe("OpenTelemetry across a crash", () => {
  it("a worker SIGKILLed mid-run: the resumed run stays one trace under its caller, with one run span", async () => {
    const { db, prisma, sim, procs } = chaos;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: inject("redisUrl"),
      FLOWTRACE_QUEUE_PREFIX: uniqueName("ftotel"),
      FLOWTRACE_JOB_LOCK_MS: "1500",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: "50",
      ...providerEnv(sim),
    };
    const api = await startApiProcess(env);
    procs.push(api.proc);
    const first = await startWorkerProcess(env);
    procs.push(first);
    const { id } = (await (
      await fetch(`${api.url}/api/workflows`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "crash trace", graph_json: chain(6, "otel") }),
      })
    ).json()) as { id: string };
    const runIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${api.url}/api/workflows/${id}/runs`, {
        method: "POST",
        headers: { "content-type": "application/json", traceparent: `00-${traceFor(i)}-00000000000000a${i}-01` },
        body: JSON.stringify({ input_vars: { topic: `crash ${i}` } }),
      });
      runIds.push(((await res.json()) as { runId: string }).runId);
    }
    await until(
      () => prisma.runStep.count({ where: { runId: { in: runIds }, status: "succeeded" } }),
      (n) => n >= 4,
      30_000,
    );
    const runningAtKill = await prisma.workflowRun.count({ where: { id: { in: runIds }, status: "running" } });
    expect(await first.stop("SIGKILL")).toBeNull();
    expect(runningAtKill).toBeGreaterThan(0);
    procs.push(await startWorkerProcess(env));
    const runs = await waitAllFinished(prisma, runIds, 90_000);
    expect(runs.filter((r) => r.status !== "succeeded")).toEqual([]);
    const roots = (spans: ReceivedSpan[]) => spans.filter((s) => s.name === "invoke_workflow crash trace");
    await until(
      async () => roots(receiver.spans).length,
      (n) => n >= 4,
      20_000,
    );

    for (const [i, runId] of runIds.entries()) {
      const spans = receiver.spans.filter((s) => s.traceId === traceFor(i));
      const runSpans = roots(spans);
      expect(runSpans, runId).toHaveLength(1);
      expect(runSpans[0]?.attributes["flowtrace.run.id"]).toBe(runId);
      expect(runSpans[0]?.parentSpanId).toBe(`00000000000000a${i}`);
      const steps = spans.filter((s) => s.attributes["flowtrace.step.id"]);
      expect(steps.every((s) => s.parentSpanId === runSpans[0]?.spanId)).toBe(true);
      expect(new Set(steps.map((s) => s.attributes["flowtrace.step.node_id"])).size).toBe(steps.length);
      const stepRows = await prisma.runStep.findMany({ where: { runId } });
      for (const s of steps) expect(stepRows.map((r) => r.id)).toContain(s.attributes["flowtrace.step.id"]);
    }
    // No span of these runs landed in another trace.
    const runIdsSeen = receiver.spans.filter((s) => runIds.includes(String(s.attributes["flowtrace.run.id"])));
    expect(runIdsSeen.every((s) => s.traceId.startsWith("ab".repeat(12)))).toBe(true);
  });
});
