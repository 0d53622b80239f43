/**
 * The composition root: the one place a process is wired — resources (database, queue, pub/sub),
 * telemetry, providers and prices, the engine (where this role executes runs) with its executor
 * role on the queue, and the services object the transports call. `api` (npm start), `worker`
 * (npm run worker) and `local` (the CLI's private server for `flowtrace run <file>` and
 * `flowtrace eval <file>`) differ only in the choices below.
 */
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { Config } from "./config/env.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { createEngine, loadPrices } from "./engine/create-engine.ts";
import { createGraphQLServer } from "./graphql/yoga.ts";
import { createHttpApp } from "./http/app.ts";
import { InflightRequests } from "./http/inflight.ts";
import { webPolicy } from "./http/request-guards.ts";
import { createPeople, type People } from "./identity/people.ts";
import type { Logger } from "./observability/logger.ts";
import { createTelemetry, type Telemetry } from "./observability/telemetry.ts";
import { configuredProviders } from "./providers/registry.ts";
import { createResources, type Resources } from "./resources.ts";
import { createServices, type Services } from "./services/index.ts";
import { createSpendGuard } from "./services/run-alerts.ts";
import { runSpanInfo } from "./services/run-reads.ts";
import { reencryptSecrets } from "./services/secrets.ts";
import { readVersion } from "./version.ts";
import { startExecutorRole } from "./worker/executor-role.ts";
import { WorkerManager } from "./worker/manager.ts";

export type Role = "api" | "worker" | "local";

export interface Stack {
  readonly config: Config;
  readonly logger: Logger;
  readonly resources: Resources;
  readonly telemetry: Telemetry;
  readonly services: Services;
  /** Null where this role does not execute runs (an API process with separate workers). */
  readonly engine: Awaited<ReturnType<typeof createEngine>> | null;
  readonly workers: WorkerManager;
  /** Signing people in (sessions, single sign-on, invitations). */
  readonly people: People;
  /** Stop taking jobs (waiting up to `timeoutMs` for those in flight), then close everything. */
  close(timeoutMs?: number): Promise<void>;
}

/** Does this role execute runs in its own process? */
const executes = (role: Role, config: Config) => role !== "api" || config.inlineWorker;

export async function createStack(config: Config, role: Role, logger: Logger): Promise<Stack> {
  // Workers never migrate: they refuse to start on a database `npm run db:migrate` has not prepared.
  const resources = await createResources(config, logger, { migrate: role === "worker" ? "verify" : "apply" });
  const telemetry = createTelemetry({
    config,
    logger,
    loadRun: (runId) => runSpanInfo(resources.db, runId),
    queue: resources.queue,
  });
  const services = createServices({
    keyring: resources.keyring,
    mcp: resources.mcp,
    mcpSettings: { stdio: config.tools.mcpStdio, callTimeoutMs: config.tools.mcpCallTimeoutMs },
    prisma: resources.db.prisma,
    queue: resources.queue,
    pubsub: resources.pubsub,
    providers: configuredProviders(config),
    prices: await loadPrices(config.pricingFile),
    version: readVersion,
  });
  if (role !== "worker") await reencryptAfterRotation(resources, logger);
  const engine = executes(role, config)
    ? await createEngine(resources, telemetry, createSpendGuard(resources.db.prisma))
    : null;
  const workers = new WorkerManager(resources.queue, logger);
  if (engine) {
    await startExecutorRole(workers, engine.deps, resources, {
      concurrency: config.workerConcurrency,
      logger,
      retention: config.traceRetention,
    });
  }
  const people = createPeople({
    auth: config.auth,
    publicUrl: config.publicUrl,
    redisUrl: config.redisUrl,
    prefix: config.queuePrefix,
  });
  return {
    config,
    logger,
    resources,
    telemetry,
    services,
    engine,
    workers,
    people,
    async close(timeoutMs = config.shutdownTimeoutMs) {
      await workers.close(timeoutMs);
      await people.limiter.close();
      await engine?.close();
      await telemetry.shutdown();
      await resources.close();
    },
  };
}

/** After a key rotation (FLOWTRACE_SECRET_KEY_PREVIOUS set), values under an older key are written again under the current one. */
async function reencryptAfterRotation(resources: Resources, logger: Logger) {
  if (resources.config.tools.previousSecretKeys.length === 0) return;
  const count = await reencryptSecrets(resources.db.prisma, resources.keyring);
  logger.info({ count }, "project secrets re-encrypted under the current FLOWTRACE_SECRET_KEY");
}

/** The database alone (migrated), for the CLI's administrative commands: no queue, no engine. */
export async function openAdminDatabase(
  config: Config,
  logger: Logger,
): Promise<{ prisma: Database["prisma"]; close(): Promise<void> }> {
  const db = await openDatabase(config, logger, { migrate: "apply" });
  return { prisma: db.prisma, close: () => db.close() };
}

/** The HTTP face of a stack: health, REST/SSE, GraphQL, /metrics and the dashboard. */
export function stackHttpApp(stack: Stack, inflight: InflightRequests = new InflightRequests()) {
  const { config, logger, resources, services, telemetry, people } = stack;
  return createHttpApp({
    ...resources,
    inflight,
    draining: () => inflight.draining,
    logger,
    yoga: createGraphQLServer(services, logger),
    apiToken: config.apiToken,
    people,
    web: webPolicy({ ...config.web, publicUrl: config.publicUrl, credentialsRequired: config.auth.required }),
    metrics: { registry: telemetry.metrics.registry, token: config.metrics.token },
    mcpEndpoint: { publicUrl: config.publicUrl, waitMs: config.tools.mcpToolWaitMs },
    api: { ...services, logger, invitations: { publicUrl: config.publicUrl, mailer: people.mailer } },
  });
}

/** Listen on the configured host and port (0: any free one); the URL it answers at. */
export async function listen(
  config: Pick<Config, "host" | "port">,
  app: { fetch: Parameters<typeof serve>[0]["fetch"] },
): Promise<{ server: Server; port: number; url: string }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  return { server, port, url };
}
