/**
 * An agent's worker killed mid-loop: a worker process (BullMQ on the real Redis, the real
 * PostgreSQL, the real SDKs against the simulator) runs an agent whose task takes three model
 * calls and two tool calls; it is SIGKILLed after iteration 1's tool result is stored, while
 * iteration 2's model call is in flight. A second worker resumes at iteration 2: no model call that
 * answered and no tool call that ran is made again (counted at the simulator and at the tool's
 * HTTP target), the trace is gap-free, and the run succeeds with the answer of a run never killed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createBullmqQueue } from "../../src/queue/bullmq-queue.ts";
import type { JobQueue } from "../../src/queue/queue.ts";
import { uniqueName } from "../helpers/db.ts";
import { type Proc, startProcess } from "../helpers/process.ts";
import {
  billedCallsByRequest,
  chaosEnvironment,
  createRun,
  expectCompleteTrace,
  providerEnv,
  waitAllFinished,
} from "./harness.ts";

const chaos = chaosEnvironment({ latencyMs: 600 });
const prefix = uniqueName("ftagent");
let queue: JobQueue;
let target: Server;
let targetUrl = "";
const hits = new Map<string, number>();

beforeAll(async () => {
  queue = createBullmqQueue(inject("redisUrl"), { prefix });
  chaos.onTeardown(() => queue.close());
  target = createServer((req, res) => {
    hits.set(req.url ?? "", (hits.get(req.url ?? "") ?? 0) + 1);
    res.writeHead(200, { "content-type": "text/plain" }).end(`page ${req.url}`);
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  chaos.onTeardown(() => new Promise<void>((resolve) => target.close(() => resolve())));
});

function worker(): Proc {
  const p = startProcess("server/src/main.worker.ts", {
    DATABASE_URL: chaos.db.url,
    REDIS_URL: inject("redisUrl"),
    FLOWTRACE_QUEUE_PREFIX: prefix,
    FLOWTRACE_JOB_LOCK_MS: "1500",
    FLOWTRACE_FETCH_ALLOW: new URL(targetUrl).host,
    ...providerEnv(chaos.sim),
  });
  chaos.procs.push(p);
  return p;
}

const graph = () => ({
  version: "1",
  entry: "agent",
  nodes: [
    {
      id: "agent",
      type: "agent",
      name: "Agent",
      config: {
        provider: "openai",
        model: "gpt-4o-mini",
        system: "You use tools.",
        prompt: "{{input.topic}}",
        tools: [{ tool: "http.fetch" }],
        cache: false,
        fallbacks: [],
      },
    },
  ],
  edges: [],
});

describe("an agent's worker killed between iterations", () => {
  it("resumes at the next iteration without repeating a model call or a tool call", async () => {
    const { prisma, sim } = chaos;
    const first = worker();
    await first.waitFor(/worker started/);
    const topic = `Use http_fetch on ${targetUrl}/a, then http_fetch on ${targetUrl}/b`;
    const runId = await createRun(prisma, queue, graph(), { topic });
    // Iteration 1's tool result is stored: iteration 2's model call is on its way (600 ms at the simulator).
    for (;;) {
      const stored = await prisma.traceEvent.count({ where: { runId, kind: "tool.response" } });
      if (stored >= 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await first.stop("SIGKILL")).toBeNull();
    const second = worker();
    await second.waitFor(/worker started/);
    const [run] = await waitAllFinished(prisma, [runId], 60_000);
    expect([run?.status, run?.errorSummary]).toEqual(["succeeded", null]);
    await expectCompleteTrace(prisma, runId);

    // Each model request (one per iteration) was answered and paid for once; each page fetched once.
    const billed = billedCallsByRequest(sim.calls);
    expect(billed.size).toBe(3);
    expect([...billed.values()]).toEqual([1, 1, 1]);
    expect(Object.fromEntries(hits)).toEqual({ "/a": 1, "/b": 1 });
    const events = await prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    const finished = events.find((e) => e.kind === "agent.finished");
    expect(finished?.payload).toEqual({ iterations: 3, toolCalls: 2, stopReason: "answer" });
    const reused = events.filter(
      (e) => e.kind === "log" && String((e.payload as { message: string }).message).includes("reused"),
    );
    expect(reused.length).toBeGreaterThanOrEqual(1);
    const step = await prisma.runStep.findFirstOrThrow({ where: { runId } });
    expect(step.output).toMatch(/from 2 tool results: .*page \/a.* \| .*page \/b/);
    console.info(
      `[chaos] agent crash: killed after iteration 1's tool result; ${sim.calls.length} simulator calls (${sim.calls.filter((c) => c.replayed).length} idempotent replays), 3 billed, 2 fetches`,
    );
  });
});
