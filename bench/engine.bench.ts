/**
 * Engine benchmarks on real PostgreSQL and Redis (DATABASE_URL / REDIS_URL, defaults to the local
 * services), each against a baseline measured in the same run:
 *  1. orchestration overhead per step vs. a bare loop of the same SDK calls,
 *  2. trace pipeline throughput vs. raw multi-row INSERTs of the same rows,
 *  5. LLM step latency on a cache hit vs. a miss.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { embeddedPool } from "../server/src/db/database.ts";
import { startEmbeddedPostgres } from "../server/src/db/embedded.ts";
import { runMigrations } from "../server/src/db/migrate.ts";
import { createPrismaClient, type PrismaClient } from "../server/src/db/prisma.ts";
import { pgWriter } from "../server/src/db/sql-writer.ts";
import { PriceMap } from "../server/src/domain/pricing/pricing.ts";
import { createCheckpointer } from "../server/src/engine/checkpointer.ts";
import { type EngineDeps, executeRun } from "../server/src/engine/executor.ts";
import { createLogger } from "../server/src/observability/logger.ts";
import { registryFrom, simulatorProviders } from "../server/src/providers/registry.ts";
import { createMemoryPubSub } from "../server/src/realtime/memory-pubsub.ts";
import type { PubSub } from "../server/src/realtime/pubsub.ts";
import { createRedisPubSub } from "../server/src/realtime/redis-pubsub.ts";
import { TraceRecorder } from "../server/src/trace/recorder.ts";
import { type RemoteSimulator, startRemoteSimulator } from "./sim-process.ts";

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

export interface ConcurrencyBench {
  runs: number;
  steps: number;
  latencyMs: number;
  concurrency: number;
  seconds: number;
  runsPerSecond: number;
  idealRunsPerSecond: number;
  ratioToIdeal: number;
  peakRssMb: number;
  eventLoopLagP99Ms: number;
  target: string;
  met: boolean;
}

/**
 * 4. Concurrency: many short runs through the in-process queue on one process, with the simulator
 * answering after `latencyMs`. Ideal = concurrency / (steps × latency).
 */
export async function benchConcurrency(
  sizes = { runs: 1000, steps: 5, latencyMs: 200, concurrency: 50 },
): Promise<ConcurrencyBench> {
  const env = await setup();
  const { monitorEventLoopDelay } = await import("node:perf_hooks");
  const { createMemoryQueue } = await import("../server/src/queue/memory-queue.ts");
  const { WorkerManager } = await import("../server/src/worker/manager.ts");
  const { createProcessors } = await import("../server/src/worker/processors.ts");
  try {
    await env.sim.setLatency(sizes.latencyMs, 0);
    const queue = createMemoryQueue();
    const graph = linear(sizes.steps, "concurrency", false);
    const wf = await env.prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "concurrency", graphJson: graph },
    });
    const ids: string[] = [];
    for (let i = 0; i < sizes.runs; i++) {
      // Distinct inputs per run so nothing is shared through the cache.
      const g = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, inputs: { text: `run ${i} ${n.id}` } })) };
      ids.push((await env.prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: g } })).id);
    }
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 100);
    const workers = new WorkerManager(queue, createLogger({ level: "silent" }));
    const t = performance.now();
    workers.start(createProcessors(env.deps, queue), sizes.concurrency);
    for (const runId of ids) await queue.enqueue("runs", { runId }, { jobId: runId });
    for (;;) {
      const open = await env.prisma.workflowRun.count({
        where: { id: { in: ids }, status: { in: ["queued", "running"] } },
      });
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    lag.disable();
    await workers.close(5_000);
    const failed = await env.prisma.workflowRun.count({ where: { id: { in: ids }, status: { not: "succeeded" } } });
    if (failed > 0) throw new Error(`${failed} concurrency runs did not succeed`);
    const ideal = sizes.concurrency / ((sizes.steps * sizes.latencyMs) / 1000);
    const rps = sizes.runs / seconds;
    return {
      ...sizes,
      seconds: round(seconds, 2),
      runsPerSecond: round(rps, 2),
      idealRunsPerSecond: round(ideal, 2),
      ratioToIdeal: round(rps / ideal),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      eventLoopLagP99Ms: round(lag.percentile(99) / 1e6, 1),
      target: "≥ 90% of ideal",
      met: rps / ideal >= 0.9,
    };
  } finally {
    await env.close();
  }
}

export interface EngineBench {
  sizes: { steps: number; events: number; cacheSamples: number };
  /** Server mode: PostgreSQL and Redis. */
  overhead: Overhead & { target: string; met: boolean };
  /** Embedded mode: PGlite over one shared connection, in-process pub/sub (what `npm start` runs on). */
  embeddedOverhead: Overhead & { target: string; met: boolean };
  tracePipeline: {
    eventsPerSecond: number;
    rawEventsPerSecond: number;
    ratioToRaw: number;
    target: string;
    met: boolean;
  };
  cache: { hitMsMedian: number; missMsMedian: number; hitMsP90: number; ratio: number; target: string; met: boolean };
}

export interface Env {
  url: string;
  prisma: PrismaClient;
  pool: pg.Pool;
  pubsub: PubSub;
  /** The simulator in its own process, as a real provider would be. */
  sim: RemoteSimulator;
  deps: EngineDeps;
  close(): Promise<void>;
}

export interface BenchDatabase {
  url: string;
  pool: pg.Pool;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

/** A fresh database on the PostgreSQL server, pools sized for 50 runs in flight (like a worker sized for its concurrency). */
export async function serverDatabase(tag = "bench"): Promise<BenchDatabase> {
  const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/flowtrace";
  const name = `flowtrace_${tag}_${process.pid}`;
  const admin = new URL(baseUrl);
  admin.pathname = "/postgres";
  const adminQuery = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await adminQuery(`DROP DATABASE IF EXISTS ${name}`);
  await adminQuery(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(baseUrl);
  dbUrl.pathname = `/${name}`;
  const url = dbUrl.toString();
  await runMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 25 });
  pool.on("error", () => {}); // the DROP … WITH (FORCE) at the end cuts idle connections
  const prisma = createPrismaClient(url, { maxConnections: 25 });
  return {
    url,
    pool,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await pool.end();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** The embedded database exactly as `npm start` opens it without DATABASE_URL: PGlite, one shared connection. */
async function embeddedDatabase(): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "flowtrace-bench-"));
  const embedded = await startEmbeddedPostgres({ dataDir });
  await runMigrations(embedded.url);
  const pool = embeddedPool(embedded.url);
  const prisma = createPrismaClient(embedded.url, { pool });
  return {
    url: embedded.url,
    pool,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await pool.end();
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function setup(options: { embedded?: boolean } = {}): Promise<Env> {
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/14";
  const db = options.embedded ? await embeddedDatabase() : await serverDatabase();
  const pubsub = options.embedded
    ? createMemoryPubSub()
    : createRedisPubSub(redisUrl, { prefix: `flowtrace_bench_${process.pid}:` });
  const sim = await startRemoteSimulator(0);
  const deps: EngineDeps = {
    prisma: db.prisma,
    pubsub,
    providers: registryFrom(simulatorProviders(sim), { simulated: true }),
    prices: PriceMap.defaults(),
    fetchAllow: [],
    logger: createLogger({ level: "silent" }),
    checkpointer: await createCheckpointer(db.pool),
    traceWriter: pgWriter(db.pool), // as createEngine sets it up
  };
  return {
    url: db.url,
    prisma: db.prisma,
    pool: db.pool,
    pubsub,
    sim,
    deps,
    async close() {
      await pubsub.close();
      await sim.close();
      await db.drop();
    },
  };
}

export function linear(steps: number, tag: string, cache: boolean) {
  return {
    version: "1",
    entry: "s0",
    nodes: Array.from({ length: steps }, (_, i) => ({
      id: `s${i}`,
      type: "llm",
      name: `s${i}`,
      config: {
        provider: "openai",
        model: "gpt-4o-mini",
        system: `${tag} ${i}`,
        maxTokens: 64,
        fallbacks: [],
        ...(cache ? {} : { cache: false }),
      },
      inputs: { text: `step ${i} of ${tag}` },
    })),
    edges: Array.from({ length: steps - 1 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}` })),
    limits: { maxNodes: steps, maxTokens: 5_000_000, timeoutSeconds: 600 },
  };
}

interface Overhead {
  engineMsMedian: number;
  bareMsMedian: number;
  addedMsPerStep: number;
  addedMsPerStepP90: number;
  ratio: number;
}

/** A `steps`-step chain through the executor vs. the same SDK calls in a bare loop, interleaved. */
async function measureOverhead(env: Env, steps: number, samples: number): Promise<Overhead> {
  const provider = env.deps.providers.get("openai");
  if (!provider) throw new Error("no provider");
  const engine: number[] = [];
  const bare: number[] = [];
  await runOnce(env, linear(5, "warmup", false));
  for (let s = 0; s < samples; s++) {
    let t = performance.now();
    for (let i = 0; i < steps; i++) {
      await provider.complete({
        model: "gpt-4o-mini",
        system: `bare ${s} ${i}`,
        prompt: `step ${i} of bare ${s}`,
        maxTokens: 64,
        timeoutMs: 10_000,
      });
    }
    bare.push(performance.now() - t);
    t = performance.now();
    engine.push((await runOnce(env, linear(steps, `engine ${s}`, false))).ms);
  }
  const perStep = engine.map((e, i) => (e - (bare[i] ?? 0)) / steps);
  return {
    engineMsMedian: round(quantile(engine, 0.5), 1),
    bareMsMedian: round(quantile(bare, 0.5), 1),
    addedMsPerStep: round(quantile(perStep, 0.5)),
    addedMsPerStepP90: round(quantile(perStep, 0.9)),
    ratio: round(quantile(engine, 0.5) / quantile(bare, 0.5)),
  };
}

async function runOnce(env: Env, graph: object) {
  const wf = await env.prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: "bench", graphJson: graph },
  });
  const run = await env.prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: graph } });
  const t = performance.now();
  const status = await executeRun(run.id, env.deps);
  const ms = performance.now() - t;
  if (status !== "succeeded") throw new Error(`benchmark run ${status}`);
  return { ms, runId: run.id };
}

export async function benchEngine(
  sizes = { steps: 100, events: 20_000, cacheSamples: 20, samples: 5 },
): Promise<EngineBench> {
  const env = await setup();
  try {
    // 1. Orchestration overhead: the executor vs. the same SDK calls in a bare loop (interleaved samples).
    const overhead = await measureOverhead(env, sizes.steps, sizes.samples);
    const embedded = await setup({ embedded: true });
    const embeddedOverhead = await measureOverhead(embedded, sizes.steps, sizes.samples).finally(() =>
      embedded.close(),
    );

    // 2. Trace pipeline: recorder (batched persist, then publish on Redis) vs. raw multi-row INSERTs.
    const wf = await env.prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "trace", graphJson: {} },
    });
    const mkRun = () => env.prisma.workflowRun.create({ data: { workflowId: wf.id } });
    const payload = { level: "info" as const, message: "benchmark event: attempt 1, 12 tokens in, 34 out" };
    const r1 = await mkRun();
    let t = performance.now();
    const recorder = await TraceRecorder.open(env.prisma, env.pubsub, r1.id, { batchSize: 1000 });
    for (let i = 0; i < sizes.events; i++) recorder.emit("log", null, payload);
    await recorder.close();
    const recorderSec = (performance.now() - t) / 1000;
    const r2 = await mkRun();
    t = performance.now();
    const client = await env.pool.connect();
    try {
      const json = JSON.stringify(payload);
      for (let start = 0; start < sizes.events; start += 1000) {
        const n = Math.min(1000, sizes.events - start);
        await client.query(
          `INSERT INTO trace_events (run_id, step_id, seq, ts, kind, payload)
           SELECT $1::uuid, NULL, s, now(), 'log', $2::jsonb FROM generate_series($3::int, $4::int) AS s`,
          [r2.id, json, start + 1, start + n],
        );
      }
    } finally {
      client.release();
    }
    const rawSec = (performance.now() - t) / 1000;
    const eps = sizes.events / recorderSec;
    const rawEps = sizes.events / rawSec;

    // 5. Cache: a one-step run's step latency on a miss, then on a hit of the same call.
    const hits: number[] = [];
    const misses: number[] = [];
    for (let i = 0; i < sizes.cacheSamples; i++) {
      const graph = linear(1, `cache ${i}`, true);
      for (const bucket of [misses, hits]) {
        const { runId } = await runOnce(env, graph);
        const step = await env.prisma.runStep.findFirstOrThrow({ where: { runId } });
        bucket.push(step.latencyMs ?? 0);
      }
    }
    const hit = quantile(hits, 0.5);
    const miss = quantile(misses, 0.5);
    return {
      sizes: { steps: sizes.steps, events: sizes.events, cacheSamples: sizes.cacheSamples },
      overhead: { ...overhead, target: "≤ 1 ms added per step", met: overhead.addedMsPerStep <= 1 },
      embeddedOverhead: {
        ...embeddedOverhead,
        target: "≤ 3 ms added per step",
        met: embeddedOverhead.addedMsPerStep <= 3,
      },
      tracePipeline: {
        eventsPerSecond: Math.round(eps),
        rawEventsPerSecond: Math.round(rawEps),
        ratioToRaw: round(eps / rawEps),
        target: "≥ 50,000 events/s and ≥ 0.5 of raw",
        met: eps >= 50_000 && eps / rawEps >= 0.5,
      },
      cache: {
        hitMsMedian: hit,
        missMsMedian: miss,
        hitMsP90: quantile(hits, 0.9),
        ratio: round(miss ? hit / miss : 0),
        target: "hit ≤ 2 ms",
        met: hit <= 2,
      },
    };
  } finally {
    await env.close();
  }
}
