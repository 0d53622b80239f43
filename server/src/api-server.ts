/**
 * The API process (loaded by main.api.ts): API (GraphQL + REST/SSE) and dashboard. In embedded mode (no DATABASE_URL/REDIS_URL)
 * it also executes runs in-process; in server mode it does so only with FLOWTRACE_INLINE_WORKER=1.
 */

import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { type Config, redactUrl } from "./config/env.ts";
import { createEngine, loadPrices } from "./engine/create-engine.ts";
import { createGraphQLServer } from "./graphql/yoga.ts";
import { createHttpApp } from "./http/app.ts";
import { InflightRequests } from "./http/inflight.ts";
import { createLogger, type Logger, loggerFormat } from "./observability/logger.ts";
import { createTelemetry, type Telemetry } from "./observability/telemetry.ts";
import { configuredProviders } from "./providers/registry.ts";
import { createResources, type Resources } from "./resources.ts";
import { runSpanInfo } from "./services/run-reads.ts";
import { seedDemoWorkflows } from "./services/seed.ts";
import { exitWithError, loadConfigOrExit, onShutdown } from "./startup.ts";
import { readVersion } from "./version.ts";
import { startExecutorRole } from "./worker/executor-role.ts";
import { WorkerManager } from "./worker/manager.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

function logStarting(config: Config, logger: Logger, version: Awaited<ReturnType<typeof readVersion>>): void {
  logger.info(
    {
      version: version.version,
      gitSha: version.gitSha,
      mode: config.mode,
      database: config.databaseUrl ? redactUrl(config.databaseUrl) : "embedded",
      queue: config.redisUrl ? "redis" : "embedded",
      inlineWorker: config.inlineWorker,
    },
    `starting FlowTrace in ${config.mode} mode`,
  );
}

async function createApp(
  config: Config,
  logger: Logger,
  resources: Resources,
  inflight: InflightRequests,
  telemetry: Telemetry,
) {
  const providers = configuredProviders(config);
  const providerNames = () => providers.map((p) => p.name);
  const { prisma } = resources.db;
  const yoga = createGraphQLServer(
    {
      prisma,
      queue: resources.queue,
      pubsub: resources.pubsub,
      version: readVersion,
      providers: () => providers,
      prices: await loadPrices(config.pricingFile),
    },
    logger,
  );
  return createHttpApp({
    ...resources,
    inflight,
    draining: () => inflight.draining,
    logger,
    yoga,
    apiToken: config.apiToken,
    metrics: { registry: telemetry.metrics.registry, token: config.metrics.token },
    api: { prisma, queue: resources.queue, pubsub: resources.pubsub, logger, providerNames },
  });
}

async function listen(config: Config, app: { fetch: Parameters<typeof serve>[0]["fetch"] }, resources: Resources) {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server));
    s.once("error", reject);
  }).catch(async (error) => {
    await resources.close();
    throw error;
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  return { server, port, url };
}

interface Running {
  server: Server;
  inflight: InflightRequests;
  workers: WorkerManager;
  engine: { close(): Promise<void> } | null;
  resources: Resources;
  telemetry: Telemetry;
}

/**
 * Drain: health says 503 "draining" so a load balancer moves traffic away, while requests are
 * still answered. Then stop accepting; every request already accepted gets its answer; then the live
 * streams are cut (clients resume them elsewhere with Last-Event-ID / afterSeq) and idle sockets closed.
 */
async function shutDown(config: Config, logger: Logger, running: Running): Promise<void> {
  const { server, inflight } = running;
  inflight.draining = true;
  if (config.shutdownDrainMs > 0) {
    logger.info({ ms: config.shutdownDrainMs }, "draining before shutdown");
    await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
  }
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const drained = await inflight.idle(config.shutdownTimeoutMs);
  if (!drained) logger.warn({ inflight: inflight.size }, "requests still running at the shutdown deadline");
  server.closeAllConnections();
  await closed;
  await running.workers.close(config.shutdownTimeoutMs);
  await running.engine?.close();
  await running.telemetry.shutdown();
  await running.resources.close();
  logger.info("shutdown complete");
}

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, ...loggerFormat(config) });
  logStarting(config, logger, await readVersion());
  const resources = await createResources(config, logger, { migrate: "apply" });
  const inflight = new InflightRequests();
  const telemetry = createTelemetry({
    config,
    logger,
    loadRun: (runId) => runSpanInfo(resources.db, runId),
    queue: resources.queue,
  });
  const app = await createApp(config, logger, resources, inflight, telemetry);
  const { server, port, url } = await listen(config, app, resources);
  if (!LOOPBACK.has(config.host) && !config.apiToken) {
    logger.warn(
      `FlowTrace is listening on ${config.host} WITHOUT an API token: anyone who can reach this address can read and run your workflows. Set FLOWTRACE_API_TOKEN.`,
    );
  }
  const workers = new WorkerManager(resources.queue, logger);
  const engine = config.inlineWorker ? await createEngine(resources, telemetry) : null;
  if (engine) {
    await startExecutorRole(workers, engine.deps, resources, {
      concurrency: config.workerConcurrency,
      logger,
      retention: config.traceRetention,
    });
  }
  if (config.seedDemo) {
    const seeded = await seedDemoWorkflows(resources.db.prisma, config.publicUrl, { onlyIfEmpty: true });
    if (seeded.created.length) logger.info({ workflows: seeded.created }, "created the demo workflows");
  }
  logger.info({ url, port }, `FlowTrace is ready at ${url}`);
  onShutdown(() => shutDown(config, logger, { server, inflight, workers, engine, resources, telemetry }), {
    timeoutMs: config.shutdownDrainMs + config.shutdownTimeoutMs + 5_000,
    log: (msg) => logger.info(msg),
  });
}

main().catch(exitWithError);
