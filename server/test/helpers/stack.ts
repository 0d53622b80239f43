/**
 * A whole FlowTrace API on a real HTTP port for contract tests: a per-file database, the engine
 * executing runs in-process (simulator behind the real SDKs), in-process or Redis queue/pub-sub.
 */
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import pg from "pg";
import { inject } from "vitest";
import { parseConfig } from "../../src/config/env.ts";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.ts";
import { pgWriter } from "../../src/db/sql-writer.ts";
import { PriceMap } from "../../src/domain/pricing/pricing.ts";
import { createCheckpointer } from "../../src/engine/checkpointer.ts";
import type { EngineDeps } from "../../src/engine/executor.ts";
import { createGraphQLServer } from "../../src/graphql/yoga.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { webPolicy } from "../../src/http/request-guards.ts";
import { createPeople } from "../../src/identity/people.ts";
import { createMcpConnections } from "../../src/mcp/connections.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { createTelemetry, type Telemetry } from "../../src/observability/telemetry.ts";
import { registryFrom, simulatorProviders } from "../../src/providers/registry.ts";
import { type Simulator, startSimulator } from "../../src/providers/simulator/simulator.ts";
import type { LlmProvider } from "../../src/providers/types.ts";
import { createBullmqQueue } from "../../src/queue/bullmq-queue.ts";
import { createMemoryQueue } from "../../src/queue/memory-queue.ts";
import type { JobQueue } from "../../src/queue/queue.ts";
import { createMemoryPubSub } from "../../src/realtime/memory-pubsub.ts";
import type { PubSub } from "../../src/realtime/pubsub.ts";
import { createRedisPubSub } from "../../src/realtime/redis-pubsub.ts";
import { createKeyring } from "../../src/secrets/keyring.ts";
import { createSpendGuard } from "../../src/services/run-alerts.ts";
import { runSpanInfo } from "../../src/services/run-reads.ts";
import { secretResolver } from "../../src/services/secrets.ts";
import { readVersion } from "../../src/version.ts";
import { WorkerManager } from "../../src/worker/manager.ts";
import { createProcessors } from "../../src/worker/processors.ts";
import { createTestDatabase, type TestDatabase, uniqueName } from "./db.ts";
import { freePort, TEST_SECRET_KEY } from "./process.ts";

export interface Stack {
  /** Metrics always; spans when `otel` was given. */
  telemetry: Telemetry;
  url: string;
  /** Queue/pub-sub prefix (FLOWTRACE_QUEUE_PREFIX for worker processes joining this stack). */
  prefix: string;
  db: TestDatabase;
  prisma: PrismaClient;
  sim: Simulator;
  queue: JobQueue;
  pubsub: PubSub;
  engine: EngineDeps;
  close(): Promise<void>;
}

export async function startStack(
  options: {
    apiToken?: string;
    /** FLOWTRACE_AUTH, FLOWTRACE_OIDC_* and FLOWTRACE_SMTP_* of the test server (people signing in). */
    authEnv?: Record<string, string>;
    /** Listen on this port (default: any free one); FLOWTRACE_PUBLIC_URL is http://127.0.0.1:<port>. */
    port?: number;
    /** FLOWTRACE_CORS_ORIGINS of the test server. */
    corsOrigins?: string[];
    redis?: boolean;
    inlineWorker?: boolean;
    latencyMs?: number;
    /** Runs executed at once by the in-process worker (default 4). */
    concurrency?: number;
    /** Let the fetch tool reach this server (its /demo documents). */
    allowSelfFetch?: boolean;
    /** A queue of the test's own (say, on a Redis that is down); closed with the stack. */
    queue?: JobQueue;
    /** OTEL_* / FLOWTRACE_* variables for the stack's telemetry (say, an OTLP endpoint). */
    otel?: Record<string, string>;
    /** FLOWTRACE_MCP_STDIO (default on), the MCP call timeout and idle stop. */
    mcpStdio?: boolean;
    mcpCallTimeoutMs?: number;
    mcpIdleMs?: number;
    /** How long POST /mcp waits for a workflow's run. */
    mcpToolWaitMs?: number;
    /** Every log line of the stack's server and in-process worker (at debug), instead of none. */
    logLines?: string[];
    /** The providers runs call (default: OpenAI and Anthropic on the stack's simulator). */
    providers?: (sim: Simulator) => LlmProvider[];
  } = {},
): Promise<Stack> {
  const db = await createTestDatabase();
  const keyring = createKeyring(Buffer.from(TEST_SECRET_KEY, "base64"));
  const mcp = createMcpConnections({ idleMs: options.mcpIdleMs ?? 60_000 });
  const prisma = createPrismaClient(db.url);
  const logger = options.logLines
    ? createLogger({ level: "debug", destination: { write: (line: string) => void options.logLines?.push(line) } })
    : createLogger({ level: "silent" });
  const sim = await startSimulator({ latencyMs: options.latencyMs ?? 0 });
  const prefix = uniqueName("ftstack");
  const queue =
    options.queue ?? (options.redis ? createBullmqQueue(inject("redisUrl"), { prefix }) : createMemoryQueue());
  const pubsub = options.redis ? createRedisPubSub(inject("redisUrl"), { prefix: `${prefix}:` }) : createMemoryPubSub();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on("error", () => {});
  const providers = options.providers
    ? registryFrom(options.providers(sim), { simulated: false })
    : registryFrom(simulatorProviders(sim), { simulated: true });
  const fetchAllow: string[] = [];
  const telemetry = createTelemetry({
    config: parseConfig({ OTEL_BSP_SCHEDULE_DELAY: "50", ...options.otel }),
    logger,
    loadRun: (runId) => runSpanInfo({ prisma }, runId),
    queue,
  });
  const engine: EngineDeps = {
    observe: telemetry.observe,
    prisma,
    pubsub,
    providers,
    prices: PriceMap.defaults(),
    fetchAllow,
    logger,
    checkpointer: await createCheckpointer(pool),
    traceWriter: pgWriter(pool), // as createEngine sets it up
    spendGuard: createSpendGuard(prisma),
    secrets: (projectId) => secretResolver(prisma, keyring, projectId),
    mcp: {
      connections: mcp,
      keyring,
      stdio: options.mcpStdio ?? true,
      callTimeoutMs: options.mcpCallTimeoutMs ?? 10_000,
    },
  };
  const workers = new WorkerManager(queue, logger);
  if (options.inlineWorker !== false) workers.start(createProcessors(engine, queue), options.concurrency ?? 4);
  const providerNames = () => providers.names();
  const yoga = createGraphQLServer(
    {
      prisma,
      queue,
      pubsub,
      version: readVersion,
      providers: () => providers.describe(),
      prices: engine.prices,
    },
    logger,
  );
  const port = options.port ?? (await freePort());
  const publicUrl = `http://127.0.0.1:${port}`;
  const config = parseConfig({
    FLOWTRACE_API_TOKEN: options.apiToken,
    FLOWTRACE_PUBLIC_URL: publicUrl,
    ...options.authEnv,
  });
  const people = createPeople({ auth: config.auth, publicUrl, redisUrl: null, prefix });
  const app = createHttpApp({
    db: { kind: "postgres", ping: async () => {} },
    queue,
    pubsub,
    logger,
    yoga,
    apiToken: options.apiToken ?? null,
    people,
    web: webPolicy({
      corsOrigins: options.corsOrigins ?? [],
      allowedHosts: [],
      publicUrl,
      credentialsRequired: config.auth.required,
    }),
    metrics: { registry: telemetry.metrics.registry, token: null },
    mcpEndpoint: { publicUrl, waitMs: options.mcpToolWaitMs ?? 10_000 },
    api: {
      prisma,
      queue,
      pubsub,
      logger,
      providerNames,
      keyring,
      mcp,
      mcpSettings: { stdio: options.mcpStdio ?? true, callTimeoutMs: options.mcpCallTimeoutMs ?? 10_000 },
      heartbeatMs: 200,
      invitations: { publicUrl, mailer: people.mailer },
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  if (options.allowSelfFetch) fetchAllow.push(`127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    prefix,
    db,
    prisma,
    sim,
    queue,
    pubsub,
    engine,
    telemetry,
    async close() {
      await mcp.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await workers.close(2_000);
      await people.limiter.close();
      await telemetry.shutdown();
      await queue.close();
      await pubsub.close();
      await pool.end();
      await prisma.$disconnect();
      await sim.close();
      await db.drop();
    },
  };
}
