/**
 * The engine end to end: real PostgreSQL (checkpointer included), the real SDKs against the
 * simulator over HTTP, a real HTTP document for the fetch tool.
 */

import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";
import { createPrismaClient, type Prisma, type PrismaClient } from "../db/prisma.ts";
import { pgWriter } from "../db/sql-writer.ts";
import { HandoffError } from "../domain/handoff.ts";
import { uuidOf } from "../domain/ids.ts";
import { Cents } from "../domain/pricing/money.ts";
import { PriceMap } from "../domain/pricing/pricing.ts";
import { eventsOf } from "../domain/trace/events.ts";
import { type TraceEventKind, tracePayloads } from "../domain/trace/payloads.ts";
import { SPEC_EXAMPLE } from "../domain/workflow/examples.ts";
import { createLogger } from "../observability/logger.ts";
import { registryFrom, simulatorProviders } from "../providers/registry.ts";
import { type Simulator, startSimulator } from "../providers/simulator/simulator.ts";
import { createMemoryQueue } from "../queue/memory-queue.ts";
import { createMemoryPubSub } from "../realtime/memory-pubsub.ts";
import { cancelRun } from "../services/runs.ts";
import { readTrace } from "../trace/reader.ts";
import { type BatchedPostgresSaver, createCheckpointer } from "./checkpointer.ts";
import { type EngineDeps, executeRun } from "./executor.ts";

let db: TestDatabase;
let prisma: PrismaClient;
let sim: Simulator;
let docServer: http.Server;
let docUrl: string;
let deps: EngineDeps;
let checkpointer: BatchedPostgresSaver;
let pool: pg.Pool;
let flowCounter = 0;
const prices = PriceMap.defaults();
const LONG_DOC = "FlowTrace quarterly report. ".repeat(200);

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  sim = await startSimulator();
  docServer = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    // A page with a NUL byte: valid UTF-8, refused by PostgreSQL's text and jsonb.
    res.end(req.url === "/nul.txt" ? "before\u0000after: the NUL document" : LONG_DOC);
  });
  await new Promise<void>((r) => docServer.listen(0, "127.0.0.1", () => r()));
  const port = (docServer.address() as AddressInfo).port;
  docUrl = `http://127.0.0.1:${port}/report.txt`;
  pool = new pg.Pool({ connectionString: db.url });
  pool.on("error", () => {});
  checkpointer = await createCheckpointer(pool);
  deps = {
    prisma,
    pubsub: createMemoryPubSub(),
    providers: registryFrom(simulatorProviders(sim), { simulated: true }),
    prices,
    fetchAllow: [`127.0.0.1:${port}`],
    logger: createLogger({ level: "silent" }),
    checkpointer,
    traceWriter: pgWriter(pool), // the executor's own connection, as createEngine sets it up
    sleep: async () => {},
    random: () => 0.5,
  };
});
afterAll(async () => {
  await pool.end();
  await prisma.$disconnect();
  await sim.close();
  await new Promise<void>((r) => docServer.close(() => r()));
  await db.drop();
});
beforeEach(() => {
  sim.setFaults([]);
  sim.resetCalls();
});

type Doc = Record<string, unknown> & { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
/** The spec's flow on a local document; each call gets its own system prompt, so tests never share cache entries. */
function specFlow(threshold = 2000): Doc {
  const doc = structuredClone(SPEC_EXAMPLE) as unknown as Doc;
  (doc.nodes[1] as { config: Record<string, unknown> }).config.system = `Be concise (flow ${++flowCounter})`;
  (doc.nodes[0] as { config: Record<string, unknown> }).config = { url: docUrl };
  (doc.nodes[2] as { config: Record<string, unknown> }).config = {
    rule: `len(text)>${threshold} ? 'deep' : 'shallow'`,
  };
  return doc;
}

async function run(graph: unknown, inputVars: Record<string, unknown> = {}, signal?: AbortSignal) {
  const wf = await prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: "t", graphJson: graph as object },
  });
  const r = await prisma.workflowRun.create({
    data: { workflowId: wf.id, inputVars: inputVars as object, graphSnapshot: graph as object },
  });
  const status = await executeRun(r.id, deps, signal ? { signal } : {});
  const row = await prisma.workflowRun.findUniqueOrThrow({ where: { id: r.id } });
  const steps = await prisma.runStep.findMany({ where: { runId: r.id } });
  const events = await prisma.traceEvent.findMany({ where: { runId: r.id }, orderBy: { seq: "asc" } });
  return {
    status,
    run: row,
    steps,
    events,
    kinds: events.map((e) => e.kind),
    step: (id: string) => steps.find((s) => s.nodeId === id),
  };
}

const sumCost = (steps: { costCents: Prisma.Decimal | null }[]) =>
  Cents.sum(steps.map((s) => (s.costCents ? Cents.parse(s.costCents.toFixed(12)) : Cents.ZERO)));

describe("engine", () => {
  it("runs the spec's flow on the shallow branch, skipping deep, with exact totals", async () => {
    const r = await run(specFlow());
    expect(r.status).toBe("succeeded");
    expect(r.step("ingest")?.status).toBe("succeeded");
    expect(r.step("summarize")?.status).toBe("succeeded");
    expect(r.step("decide")?.status).toBe("succeeded");
    expect(r.step("deep")?.status).toBe("skipped");
    expect(r.kinds[0]).toBe("run.started");
    expect(r.kinds.at(-1)).toBe("run.finished");
    expect(r.kinds).toEqual(
      expect.arrayContaining([
        "tool.request",
        "tool.response",
        "llm.request",
        "llm.response",
        "router.branch",
        "step.skipped",
      ]),
    );
    expect(r.events.map((e) => e.seq)).toEqual(r.events.map((_, i) => i + 1));
    const branch = r.events.find((e) => e.kind === "router.branch");
    expect(branch?.payload).toMatchObject({ branch: "shallow" });
    // Totals are the sum of the steps, and the step cost is usage × price.
    expect(r.run.totalTokens).toBe(r.steps.reduce((a, s) => a + s.tokensInput + s.tokensOutput, 0));
    expect(Cents.parse(r.run.totalCostCents.toFixed(12)).toString()).toBe(sumCost(r.steps).toString());
    const response = r.events.find((e) => e.kind === "llm.response")?.payload as {
      usage: { inputTokens: number; outputTokens: number };
    };
    const expected = prices.cost("openai", "gpt-4o-mini", {
      ...response.usage,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    expect(Cents.parse(r.step("summarize")?.costCents?.toFixed(12) ?? "0").toString()).toBe(expected?.toString());
    expect(r.run.totalLatencyMs).toBe(r.steps.reduce((a, s) => a + (s.latencyMs ?? 0), 0));
  });

  it("stores a fetched page holding a NUL byte: replaced by U+FFFD in the step, the trace and the next prompt", async () => {
    const doc = specFlow();
    (doc.nodes[0] as { config: Record<string, unknown> }).config = { url: docUrl.replace("report.txt", "nul.txt") };
    const r = await run(doc);
    expect(r.status, r.run.errorSummary ?? "").toBe("succeeded");
    const output = r.step("ingest")?.output as { content: string };
    expect(output.content).toBe("before\ufffdafter: the NUL document");
    const finished = r.events.find((e) => e.kind === "step.finished" && e.stepId === r.step("ingest")?.id);
    expect(JSON.stringify(finished?.payload)).toContain("before\ufffdafter");
    const request = r.events.find((e) => e.kind === "llm.request")?.payload as { prompt: string };
    expect(request.prompt).toContain("before\ufffdafter");
  });

  it("takes the deep branch to Anthropic when the rule says so", async () => {
    const r = await run(specFlow(10));
    expect(r.status).toBe("succeeded");
    expect(r.step("deep")?.status).toBe("succeeded");
    expect(sim.calls.filter((c) => c.status === 200).map((c) => `${c.provider}/${c.model}`)).toEqual([
      "openai/gpt-4o-mini",
      "anthropic/claude-3.5-sonnet",
    ]);
    const deepCost = r.step("deep")?.costCents;
    expect(deepCost?.greaterThan(0)).toBe(true);
  });

  it("retries 429s with backoff and then succeeds, each attempt visible", async () => {
    sim.setFaults([{ provider: "openai", status: 429, count: 2, retryAfterSeconds: 1 }]);
    const r = await run(specFlow());
    expect(r.status).toBe("succeeded");
    const retries = r.events.filter((e) => e.kind === "retry").map((e) => e.payload as Record<string, unknown>);
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatchObject({ attempt: 1, kind: "rate_limited", status: 429, willRetry: true, delayMs: 1000 });
    expect(r.kinds.filter((k) => k === "llm.request")).toHaveLength(3);
    expect(r.kinds).not.toContain("fallback");
  });

  it("falls back to Anthropic after repeated 500s", async () => {
    sim.setFaults([{ provider: "openai", status: 500, count: 100 }]);
    const r = await run(specFlow());
    expect(r.status).toBe("succeeded");
    const fallback = r.events.find((e) => e.kind === "fallback")?.payload as Record<
      string,
      { provider?: string; kind?: string }
    >;
    expect(fallback.from?.provider).toBe("openai");
    expect(fallback.to?.provider).toBe("anthropic");
    expect(fallback.cause?.kind).toBe("server");
    expect(r.events.filter((e) => e.kind === "retry")).toHaveLength(3);
    expect(sim.calls.filter((c) => c.status === 200).map((c) => c.provider)).toEqual(["anthropic"]);
  });

  it("falls back at once on a timeout", async () => {
    sim.setFaults([{ provider: "openai", kind: "timeout", hangMs: 5_000, count: 100 }]);
    const doc = specFlow();
    (doc.nodes[1] as { config: Record<string, unknown> }).config.timeoutMs = 300;
    const r = await run(doc);
    expect(r.status).toBe("succeeded");
    const retry = r.events.find((e) => e.kind === "retry")?.payload as Record<string, unknown>;
    expect(retry).toMatchObject({ kind: "timeout", willRetry: false });
    expect(r.kinds).toContain("fallback");
  });

  it("gives the whole fallback chain a second pass when every provider failed transiently", async () => {
    // First pass: 3 OpenAI attempts (500) and 3 Anthropic attempts (529) fail; the second pass succeeds.
    sim.setFaults([
      { provider: "openai", kind: "status", status: 500, count: 3 },
      { provider: "anthropic", kind: "status", status: 529, count: 3 },
    ]);
    const doc = specFlow();
    (doc.nodes[1] as { config: Record<string, unknown> }).config.system = "Second pass";
    const r = await run(doc);
    expect(r.status).toBe("succeeded");
    const switches = r.events
      .filter((e) => e.kind === "fallback")
      .map((e) => {
        const p = e.payload as { from: { provider: string }; to: { provider: string } };
        return `${p.from.provider}→${p.to.provider}`;
      });
    expect(switches).toEqual(["openai→anthropic", "anthropic→openai"]);
    expect(r.events.filter((e) => e.kind === "retry")).toHaveLength(6);
    // A step failing for a permanent reason (400) gets no second pass.
    sim.setFaults([{ provider: "openai", kind: "status", status: 400, count: 10 }]);
    (doc.nodes[1] as { config: Record<string, unknown> }).config.system = "No second pass";
    const bad = await run(doc);
    expect(bad.status).toBe("failed");
    expect(bad.events.filter((e) => e.kind === "fallback")).toHaveLength(0);
  });

  it("serves a repeated run from the cache: cache.hit, no provider call, cost 0", async () => {
    const doc = specFlow();
    (doc.nodes[1] as { config: Record<string, unknown> }).config.system = "Cache me";
    const first = await run(doc);
    expect(first.status).toBe("succeeded");
    sim.resetCalls();
    const second = await run(doc);
    expect(second.status).toBe("succeeded");
    expect(sim.calls).toHaveLength(0);
    const hit = second.events.find((e) => e.kind === "cache.hit")?.payload as Record<string, unknown>;
    expect(hit.savedCostCents).toBe(Cents.parse(first.step("summarize")?.costCents?.toFixed(12) ?? "0").toString());
    expect(second.step("summarize")?.costCents?.toString()).toBe("0");
    expect(second.run.totalCostCents.toString()).toBe("0");
  });

  it("fails the run with a clear summary when the token budget would be exceeded", async () => {
    const doc = specFlow();
    doc.limits = { maxTokens: 500 };
    const r = await run(doc);
    expect(r.status).toBe("failed");
    expect(r.run.errorSummary).toMatch(
      /^limit\.tokens: limits\.maxTokens 500: 0 used and 0 reserved by calls in flight; the next call may need up to [\d,]+$/,
    );
    expect(sim.calls).toHaveLength(0);
    expect(r.step("summarize")?.status).toBe("failed");
    expect(r.step("decide")?.status).toBe("canceled");
  });

  it("trips the run deadline", async () => {
    sim.setFaults([{ provider: "openai", kind: "timeout", hangMs: 10_000, count: 100 }]);
    const doc = specFlow();
    doc.limits = { timeoutSeconds: 0.5 };
    Object.assign((doc.nodes[1] as { config: Record<string, unknown> }).config, { fallbacks: [] });
    const r = await run(doc);
    expect(r.status).toBe("failed");
    expect(r.run.errorSummary).toBe("limit.timeout: run exceeded its 0.5 s deadline (limits.timeoutSeconds)");
  });

  it("cancels a run in the middle of a call", async () => {
    sim.setFaults([{ provider: "openai", kind: "timeout", hangMs: 10_000, count: 100 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const r = await run(specFlow(), {}, controller.signal);
    expect(r.status).toBe("canceled");
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r.step("summarize")?.status).toBe("canceled");
    expect(r.step("deep")?.status).toBe("canceled");
    expect(r.kinds.at(-1)).toBe("run.finished");
  });

  it("warns and records a null cost for a model without a price", async () => {
    const doc = specFlow();
    Object.assign((doc.nodes[1] as { config: Record<string, unknown> }).config, { model: "my-finetune-x" });
    const r = await run(doc);
    expect(r.status).toBe("succeeded");
    const warning = r.events.find((e) => e.kind === "log")?.payload as { level: string; message: string };
    expect(warning.level).toBe("warn");
    expect(warning.message).toMatch(/no price for openai\/my-finetune-x/);
    expect(r.step("summarize")?.costCents).toBeNull();
  });

  it("applies a provider binding and records the effective model", async () => {
    const doc = specFlow();
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "bound", graphJson: doc as object },
    });
    await prisma.providerBinding.create({
      data: { workflowId: wf.id, provider: "openai", model: "gpt-4.1-nano", temperature: 0.3 },
    });
    const runRow = await prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: doc as object } });
    await executeRun(runRow.id, deps);
    const request = await prisma.traceEvent.findFirst({ where: { runId: runRow.id, kind: "llm.request" } });
    expect(request?.payload).toMatchObject({ provider: "openai", model: "gpt-4.1-nano", temperature: 0.3 });
  });

  it("stores every event exactly as its kind's schema declares it (no field missing or undeclared)", async () => {
    const doc = specFlow(10);
    Object.assign((doc.nodes[1] as { config: Record<string, unknown> }).config, {
      fault: "status=503;count=5",
      retry: { attempts: 1 },
    });
    const faulted = await run(doc);
    const cached = specFlow();
    (cached.nodes[1] as { config: Record<string, unknown> }).config.system = "Contract check";
    await run(cached);
    const hit = await run(cached);
    const events = [...faulted.events, ...hit.events];
    const kinds = new Set(events.map((e) => e.kind));
    for (const k of [
      "retry",
      "fallback",
      "cache.hit",
      "llm.response",
      "tool.response",
      "router.branch",
      "step.skipped",
    ]) {
      expect(kinds, k).toContain(k);
    }
    for (const e of events) {
      const schema = tracePayloads[e.kind as TraceEventKind];
      expect(schema, e.kind).toBeDefined();
      const { truncated: _, ...payload } = e.payload as Record<string, unknown>;
      const parsed = schema.safeParse(payload);
      expect(parsed.error?.issues, `${e.kind} #${e.seq}`).toBeUndefined();
      // Parsing drops undeclared keys: equality means the event has none.
      expect(parsed.data, `${e.kind} #${e.seq}`).toEqual(payload);
    }
  });

  it("forces an error with the node's simulator fault, retries, and still succeeds", async () => {
    const doc = specFlow();
    Object.assign((doc.nodes[1] as { config: Record<string, unknown> }).config, {
      fault: "status=503;count=5",
      retry: { attempts: 1 },
    });
    const r = await run(doc);
    expect(r.status).toBe("succeeded");
    expect(r.kinds.filter((k) => k === "retry")).toHaveLength(2);
    expect(r.kinds).toContain("fallback");
  });

  it("retries a stream that breaks mid-way, keeping the partial attempt in the trace", async () => {
    sim.setFaults([{ provider: "openai", kind: "stream_cut", count: 1 }]);
    const r = await run(specFlow());
    expect(r.status).toBe("succeeded");
    const retry = r.events.find((e) => e.kind === "retry")?.payload as Record<string, unknown>;
    expect(retry).toMatchObject({ kind: "connection", willRetry: true });
    expect(String(retry.partialText).length).toBeGreaterThan(0);
    const response = r.events.find((e) => e.kind === "llm.response")?.payload as { text: string };
    expect(response.text.startsWith(String(retry.partialText))).toBe(true);
  });

  it("runs a level concurrently when parallel is set, and joins before the next level", async () => {
    sim.setLatency(300);
    const llm = (id: string) => ({
      id,
      type: "llm",
      name: id,
      config: { provider: "openai", model: "gpt-4o-mini", system: `parallel ${id} ${flowCounter}` },
      inputs: { text: "{{input.topic}}" },
    });
    const doc = {
      version: "1",
      entry: "a",
      parallel: true,
      nodes: [
        llm("a"),
        llm("b"),
        llm("c"),
        llm("d"),
        { ...llm("join"), inputs: { b: "{{node.b.output}}", d: "{{node.d.output}}" } },
      ],
      edges: [
        { from: "a", to: "b" },
        { from: "a", to: "c" },
        { from: "a", to: "d" },
        { from: "b", to: "join" },
        { from: "c", to: "join" },
        { from: "d", to: "join" },
      ],
    };
    const started = Date.now();
    const r = await run(doc, { topic: "parallel" });
    const elapsed = Date.now() - started;
    sim.setLatency(0);
    expect(r.status).toBe("succeeded");
    const start = (id: string) => r.step(id)?.startedAt?.getTime() ?? 0;
    const end = (id: string) => r.step(id)?.finishedAt?.getTime() ?? 0;
    // b, c and d overlap in time; join starts after all of them.
    expect(Math.max(start("b"), start("c"), start("d"))).toBeLessThan(Math.min(end("b"), end("c"), end("d")));
    expect(start("join")).toBeGreaterThanOrEqual(Math.max(end("b"), end("c"), end("d")));
    expect(elapsed).toBeLessThan(5 * 300 + 2_000);
  });

  it("publishes each event only after it is stored, in seq order", async () => {
    const seen: { seq: number; stored: boolean }[] = [];
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "pub", graphJson: specFlow() as object },
    });
    const runRow = await prisma.workflowRun.create({
      data: { workflowId: wf.id, graphSnapshot: wf.graphJson as object },
    });
    const checks: Promise<void>[] = [];
    const unsubscribe = await deps.pubsub.subscribe(`run:${runRow.id}:events`, (m) => {
      for (const { seq } of eventsOf(m)) {
        checks.push(
          prisma.traceEvent.count({ where: { runId: runRow.id, seq } }).then((n) => {
            seen.push({ seq, stored: n === 1 });
          }),
        );
      }
    });
    await executeRun(runRow.id, deps);
    await Promise.all(checks);
    await unsubscribe();
    const total = await prisma.traceEvent.count({ where: { runId: runRow.id } });
    expect(seen.map((s) => s.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(seen.every((s) => s.stored)).toBe(true);
  });

  it("makes one provider call for two identical calls in flight (single-flight)", async () => {
    sim.setLatency(300);
    const doc = specFlow();
    const [a, b] = await Promise.all([run(doc), run(doc)]);
    sim.setLatency(0);
    expect(a.status).toBe("succeeded");
    expect(b.status).toBe("succeeded");
    expect(sim.calls.filter((c) => c.provider === "openai")).toHaveLength(1);
    // One of them paid; the other is booked as a (single-flight) cache hit at zero cost.
    const costs = [a, b].map((r) => r.step("summarize")?.costCents?.toString()).sort();
    expect(costs[0]).toBe("0");
    expect(Number(costs[1])).toBeGreaterThan(0);
  });

  it("two executors on one run (a job handed out twice): the first writer finishes it, the other stops", async () => {
    sim.setLatency(300);
    const doc = specFlow();
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "twice", graphJson: doc as object },
    });
    const row = await prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: doc as object } });
    const outcomes = await Promise.allSettled([executeRun(row.id, deps), executeRun(row.id, deps)]);
    sim.setLatency(0);
    const finished = outcomes.filter((o) => o.status === "fulfilled");
    const stopped = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(finished.map((o) => o.value)).toEqual(["succeeded"]);
    expect(stopped.map((o) => (o.reason as Error).name)).toEqual(["TraceConflictError"]);
    expect(String((stopped[0]?.reason as Error | undefined)?.message)).toMatch(
      /another executor already stored event \d+; this one stops/,
    );

    const run = await prisma.workflowRun.findUniqueOrThrow({ where: { id: row.id } });
    expect(run.status).toBe("succeeded");
    const events = await prisma.traceEvent.findMany({ where: { runId: row.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    expect(count("run.started")).toBe(1);
    expect(count("run.finished")).toBe(1);
    expect(events.at(-1)?.kind).toBe("run.finished");
    // Every step that ran finished once, and its row agrees with its event.
    const steps = await prisma.runStep.findMany({ where: { runId: row.id } });
    for (const step of steps.filter((s) => s.status === "succeeded")) {
      const ends = events.filter((e) => e.stepId === step.id && e.kind === "step.finished");
      expect(ends).toHaveLength(1);
      expect((ends[0]?.payload as { tokensInput?: number } | undefined)?.tokensInput).toBe(step.tokensInput);
    }
    expect(steps.every((s) => s.status !== "running" && s.status !== "queued")).toBe(true);
  });

  describe("single-flight and cancellation", () => {
    /** Start a run; `requested` resolves once its summarize call is recorded (sent, or joined). */
    async function startRun(doc: Doc, signal?: AbortSignal) {
      const wf = await prisma.workflow.create({
        data: { project: { connect: { name: "default" } }, name: "sf", graphJson: doc as object },
      });
      const row = await prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: doc as object } });
      const done = executeRun(row.id, deps, signal ? { signal } : {});
      const requested = (async () => {
        for (;;) {
          const step = await prisma.runStep.findFirst({ where: { runId: row.id, nodeId: "summarize" } });
          const asked = step
            ? await prisma.traceEvent.count({ where: { runId: row.id, stepId: step.id, kind: "llm.request" } })
            : 0;
          if (asked > 0) return;
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      return { id: row.id, done, requested };
    }
    const finishedAt = async (id: string) =>
      (await prisma.workflowRun.findUniqueOrThrow({ where: { id } })).finishedAt?.getTime() ?? Number.NaN;
    const summarizeOf = (id: string) => prisma.runStep.findFirstOrThrow({ where: { runId: id, nodeId: "summarize" } });
    const singleFlightHits = (id: string) =>
      prisma.traceEvent.count({
        where: { runId: id, kind: "cache.hit", payload: { path: ["singleFlight"], equals: true } },
      });

    it("a run waiting on another run's identical call stops when it is canceled; the other goes on", async () => {
      sim.setLatency(1_500);
      const doc = specFlow();
      const leader = await startRun(doc);
      await leader.requested;
      const cancel = new AbortController();
      const follower = await startRun(doc, cancel.signal);
      await follower.requested;
      cancel.abort();
      expect(await follower.done).toBe("canceled");
      expect(await leader.done).toBe("succeeded");
      sim.setLatency(0);
      // The follower stopped while the leader's call was still running, not when it answered.
      expect(await finishedAt(follower.id)).toBeLessThan(await finishedAt(leader.id));
      expect((await summarizeOf(follower.id)).status).toBe("canceled");
      expect(sim.calls.filter((c) => c.provider === "openai")).toHaveLength(1);
    });

    it("a run waiting on a call whose own run was canceled makes the call itself and succeeds", async () => {
      sim.setLatency(1_000);
      const doc = specFlow();
      const cancel = new AbortController();
      const leader = await startRun(doc, cancel.signal);
      await leader.requested;
      const follower = await startRun(doc);
      await follower.requested;
      cancel.abort();
      expect(await leader.done).toBe("canceled");
      expect(await follower.done).toBe("succeeded");
      sim.setLatency(0);
      const step = await summarizeOf(follower.id);
      expect(step.status).toBe("succeeded");
      expect(Number(step.costCents)).toBeGreaterThan(0); // it paid for its own call
      expect(await singleFlightHits(follower.id)).toBe(0);
      expect(sim.calls.filter((c) => c.provider === "openai")).toHaveLength(2);
    });
  });

  it("hands a run back on graceful shutdown and resumes it without repeating finished steps", async () => {
    sim.setLatency(400);
    const doc = specFlow(10);
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "handoff", graphJson: doc as object },
    });
    const runRow = await prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: doc as object } });
    const handoff = new AbortController();
    // Hand off once the deep step has started — usually before its call begins (this found that a
    // signal aborted before the call was never forwarded to it: the call ran to its end), or
    // while it is in flight. Either way the run is handed back and resumes without repeating.
    const waitForDeep = (async () => {
      for (;;) {
        const started = await prisma.runStep.count({
          where: { runId: runRow.id, nodeId: "deep", status: "running" },
        });
        if (started) return;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const first = executeRun(runRow.id, deps, { handoff: handoff.signal });
    await waitForDeep;
    handoff.abort();
    await expect(first).rejects.toBeInstanceOf(HandoffError);
    expect((await prisma.workflowRun.findUniqueOrThrow({ where: { id: runRow.id } })).status).toBe("running");
    const callsBefore = sim.calls.length;
    expect(await executeRun(runRow.id, deps)).toBe("succeeded");
    sim.setLatency(0);
    const summarizeRequests = await prisma.traceEvent.count({
      where: { runId: runRow.id, kind: "llm.request", step: { nodeId: "summarize" } },
    });
    expect(summarizeRequests).toBe(1);
    expect(sim.calls.slice(callsBefore).every((c) => c.provider === "anthropic")).toBe(true);
    const seqs = (await prisma.traceEvent.findMany({ where: { runId: runRow.id }, orderBy: { seq: "asc" } })).map(
      (e) => e.seq,
    );
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it("lets a reader join mid-run with afterSeq and get every later event exactly once, in order", async () => {
    sim.setLatency(150);
    const doc = specFlow(10);
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "reader", graphJson: doc as object },
    });
    const runRow = await prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: doc as object } });
    const execution = executeRun(runRow.id, deps);
    while ((await prisma.traceEvent.count({ where: { runId: runRow.id } })) < 4)
      await new Promise((r) => setTimeout(r, 10));
    const seen: number[] = [];
    for await (const e of readTrace({ prisma, pubsub: deps.pubsub }, runRow.id, { afterSeq: 3 })) seen.push(e.seq);
    await execution;
    sim.setLatency(0);
    const stored = (await prisma.traceEvent.findMany({ where: { runId: runRow.id }, orderBy: { seq: "asc" } })).map(
      (e) => e.seq,
    );
    expect(seen).toEqual(stored.filter((s) => s > 3));
    // A reader of a finished run replays everything and ends.
    const replay: number[] = [];
    for await (const e of readTrace({ prisma, pubsub: deps.pubsub }, runRow.id)) replay.push(e.seq);
    expect(replay).toEqual(stored);
  });

  it("cancels through the control channel (the cancel API) within a second", async () => {
    sim.setFaults([{ provider: "openai", kind: "timeout", hangMs: 10_000, count: 100 }]);
    const doc = specFlow();
    const wf = await prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "cancel", graphJson: doc as object },
    });
    const runRow = await prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: doc as object } });
    const execution = executeRun(runRow.id, deps);
    while ((await prisma.traceEvent.count({ where: { runId: runRow.id, kind: "llm.request" } })) < 1) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const asked = Date.now();
    expect(
      await cancelRun(
        { prisma, pubsub: deps.pubsub, queue: createMemoryQueue(), providerNames: () => [] },
        uuidOf(runRow.id),
      ),
    ).toBe(true);
    expect(await execution).toBe("canceled");
    expect(Date.now() - asked).toBeLessThan(1_000);
  });

  it("stops a run at its hard cost budget", async () => {
    const doc = specFlow(10);
    doc.limits = { maxCostCents: 0.000001 };
    const r = await run(doc);
    expect(r.status).toBe("failed");
    expect(r.run.errorSummary).toMatch(
      /^limit\.cost: limits\.maxCostCents 0\.000001 cents: 0 spent and 0 reserved by calls in flight; the next call may cost up to [\d.]+$/,
    );
    expect(sim.calls).toHaveLength(0);
  });
});
