/**
 * 3. Live latency: events persisted and published by a recorder (its own Redis connection, as a
 *    worker's would be) until they arrive at REST SSE and graphql-sse clients of a real API server,
 *    with 1 and with N subscribers; baseline: a bare Redis publish → subscribe round trip.
 * 6. Big traces: a run with 10,000 events — first trace page over REST, full SSE replay, the
 *    GraphQL events page; baseline: the same rows read with plain SQL.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import pg from "pg";
import { runMigrations } from "../server/src/db/migrate.ts";
import { createPrismaClient } from "../server/src/db/prisma.ts";
import { PriceMap } from "../server/src/domain/pricing/pricing.ts";
import { createGraphQLServer } from "../server/src/graphql/yoga.ts";
import { createHttpApp } from "../server/src/http/app.ts";
import { webPolicy } from "../server/src/http/request-guards.ts";
import { createPeople } from "../server/src/identity/people.ts";
import { createMcpConnections } from "../server/src/mcp/connections.ts";
import { createLogger } from "../server/src/observability/logger.ts";
import { createMemoryQueue } from "../server/src/queue/memory-queue.ts";
import { createRedis } from "../server/src/realtime/redis.ts";
import { createRedisPubSub } from "../server/src/realtime/redis-pubsub.ts";
import { createKeyring } from "../server/src/secrets/keyring.ts";
import { TraceRecorder } from "../server/src/trace/recorder.ts";
import { readVersion } from "../server/src/version.ts";

const now = () => performance.timeOrigin + performance.now();
/** A closed trace (the figures are not what a bench of the live path measures). */
const FINISHED = {
  status: "succeeded" as const,
  error: null,
  totalTokens: 0,
  totalCostCents: "0",
  totalLatencyMs: 0,
  costComplete: true,
  unpricedSteps: 0,
};
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 100) / 100;
};
const median = (xs: number[]) => q(xs, 0.5);

export interface LiveBench {
  baselineRedis: { p50: number; p99: number };
  sse: { subscribers: number; p50: number; p99: number; received: number }[];
  graphqlSse: { subscribers: number; p50: number; p99: number; received: number }[];
  targets: string;
  met: boolean;
  bigTrace: {
    events: number;
    restFirstPageMs: number;
    sqlFirstPageMs: number;
    sseReplayMs: number;
    sqlAllRowsMs: number;
    graphqlPageMs: number;
  };
}

function clientProcess() {
  return fork(fileURLToPath(new URL("./live-clients.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
  });
}

type ChildMessage = { type: string; latencies?: number[]; durations?: number[] };

function nextMessage(child: ReturnType<typeof fork>, type: string) {
  return new Promise<ChildMessage>((resolve, reject) => {
    const on = (m: ChildMessage) => {
      if (m.type !== type) return;
      child.off("message", on);
      resolve(m);
    };
    child.on("message", on);
    child.once("exit", (code) => reject(new Error(`live clients exited (${code})`)));
  });
}

/** The subscribers in their own process (`live-clients.ts`): ready, then every latency seen. */
function startClients(job: { base: string; runId: string; kind: "sse" | "graphql"; subscribers: number }) {
  const child = clientProcess();
  const ready = nextMessage(child, "ready");
  const done = nextMessage(child, "done");
  child.send(job);
  return {
    ready,
    async latencies() {
      const m = await done;
      child.kill();
      return m.latencies ?? [];
    },
  };
}

/** Full SSE replays received by a client in its own process; the median time to the last byte. */
async function replayFromClient(url: string, times: number): Promise<number> {
  const child = clientProcess();
  const replayed = nextMessage(child, "replayed");
  child.send({ type: "replay", url, times });
  const m = await replayed;
  child.kill();
  return median(m.durations ?? []);
}

export async function benchLive(sizes = { subscribers: [1, 500], events: 50, bigTrace: 10_000 }): Promise<LiveBench> {
  const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/flowtrace";
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/14";
  const name = `flowtrace_live_${process.pid}`;
  const admin = new URL(baseUrl);
  admin.pathname = "/postgres";
  const a = new pg.Client({ connectionString: admin.toString() });
  await a.connect();
  await a.query(`DROP DATABASE IF EXISTS ${name}`);
  await a.query(`CREATE DATABASE ${name}`);
  await a.end();
  const dbUrl = new URL(baseUrl);
  dbUrl.pathname = `/${name}`;
  await runMigrations(dbUrl.toString());
  const prisma = createPrismaClient(dbUrl.toString(), { maxConnections: 20 });
  const prefix = `${name}:`;
  const apiPubsub = createRedisPubSub(redisUrl, { prefix });
  const workerPubsub = createRedisPubSub(redisUrl, { prefix }); // the "worker" side
  const logger = createLogger({ level: "silent" });
  const queue = createMemoryQueue();
  const keyring = createKeyring(randomBytes(32));
  const yoga = createGraphQLServer(
    {
      prisma,
      queue,
      pubsub: apiPubsub,
      version: readVersion,
      providers: () => [],
      prices: PriceMap.defaults(),
    },
    logger,
  );
  const auth = { required: false, oidc: null, smtp: null, sessionDays: 30 };
  const people = createPeople({ auth, publicUrl: "http://127.0.0.1", redisUrl: null, prefix: name });
  const app = createHttpApp({
    db: { kind: "postgres", ping: async () => {} },
    queue,
    pubsub: apiPubsub,
    logger,
    yoga,
    apiToken: null,
    people,
    web: webPolicy({ corsOrigins: [], allowedHosts: [], publicUrl: "http://127.0.0.1", credentialsRequired: false }),
    mcpEndpoint: { publicUrl: "http://127.0.0.1", waitMs: 1_000 },
    api: {
      prisma,
      queue,
      pubsub: apiPubsub,
      logger,
      providerNames: () => [],
      keyring,
      mcp: createMcpConnections({ idleMs: 1_000 }),
      mcpSettings: { stdio: false, callTimeoutMs: 1_000 },
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  server.maxConnections = 5_000;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const wf = await prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: "live", graphJson: {} },
  });

  try {
    // Baseline: bare Redis publish → subscribe.
    const pub = createRedis(redisUrl);
    const sub = createRedis(redisUrl);
    const baseLat: number[] = [];
    await sub.subscribe(`${prefix}baseline`);
    sub.on("message", (_c: string, m: string) => baseLat.push(now() - Number(m)));
    for (let i = 0; i < sizes.events; i++) {
      await pub.publish(`${prefix}baseline`, String(now()));
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 50));
    pub.disconnect();
    sub.disconnect();

    const measure = async (subscribers: number, kind: "sse" | "graphql") => {
      const run = await prisma.workflowRun.create({ data: { workflowId: wf.id } });
      const recorder = await TraceRecorder.open(prisma, workerPubsub, run.id, { flushIntervalMs: 1 });
      const clients = startClients({ base, runId: run.id, kind, subscribers });
      await clients.ready;
      await new Promise((r) => setTimeout(r, 500)); // let every subscription reach Redis
      for (let i = 0; i < sizes.events; i++) {
        recorder.emit("log", null, { level: "info", message: String(now()) });
        await new Promise((r) => setTimeout(r, 10));
      }
      recorder.emit("run.finished", null, FINISHED);
      await recorder.close();
      const lat = await clients.latencies();
      return { subscribers, p50: median(lat), p99: q(lat, 0.99), received: lat.length };
    };

    const sse = [];
    const graphqlSse = [];
    for (const n of sizes.subscribers) sse.push(await measure(n, "sse"));
    for (const n of sizes.subscribers) graphqlSse.push(await measure(n, "graphql"));

    // 6. Big trace.
    const big = await prisma.workflowRun.create({ data: { workflowId: wf.id, status: "succeeded" } });
    const rec = await TraceRecorder.open(prisma, workerPubsub, big.id, { batchSize: 1000 });
    for (let i = 0; i < sizes.bigTrace - 1; i++)
      rec.emit("log", null, { level: "info", message: `a trace event of a big run (${i})` });
    rec.emit("run.finished", null, FINISHED);
    await rec.close();
    const time = async (f: () => Promise<unknown>) => {
      const xs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        await f();
        xs.push(performance.now() - t);
      }
      return median(xs);
    };
    const sqlPool = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });
    sqlPool.on("error", () => {});
    const bigTrace = {
      events: sizes.bigTrace,
      restFirstPageMs: await time(async () => (await fetch(`${base}/api/runs/${big.id}/trace?limit=100`)).json()),
      sqlFirstPageMs: await time(() =>
        sqlPool.query("SELECT * FROM trace_events WHERE run_id = $1 ORDER BY seq LIMIT 100", [big.id]),
      ),
      sseReplayMs: await replayFromClient(`${base}/api/runs/${big.id}/stream`, 7),
      sqlAllRowsMs: await time(() =>
        sqlPool.query("SELECT * FROM trace_events WHERE run_id = $1 ORDER BY seq", [big.id]),
      ),
      graphqlPageMs: await time(async () =>
        (
          await fetch(`${base}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              query: "query($id: ID!) { run(id: $id) { events(first: 200) { edges { node { seq kind payload } } } } }",
              variables: { id: big.id },
            }),
          })
        ).json(),
      ),
    };
    await sqlPool.end();
    const one = (xs: { subscribers: number; p99: number }[], n: number) =>
      xs.find((x) => x.subscribers === n)?.p99 ?? Infinity;
    const many = Math.max(...sizes.subscribers);
    return {
      baselineRedis: { p50: median(baseLat), p99: q(baseLat, 0.99) },
      sse,
      graphqlSse,
      targets: `p99 ≤ 20 ms with 1 subscriber, ≤ 100 ms with ${many}`,
      met: Math.max(one(sse, 1), one(graphqlSse, 1)) <= 20 && Math.max(one(sse, many), one(graphqlSse, many)) <= 100,
      bigTrace: Object.fromEntries(
        Object.entries(bigTrace).map(([k, v]) => [k, typeof v === "number" ? Math.round(v * 10) / 10 : v]),
      ) as LiveBench["bigTrace"],
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await apiPubsub.close();
    await workerPubsub.close();
    await prisma.$disconnect();
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
}
