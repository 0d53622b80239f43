/**
 * `npm run worker`: a queue worker for server mode (BullMQ on Redis). Run as many as you like on
 * as many machines as you like; each takes FLOWTRACE_WORKER_CONCURRENCY jobs at a time.
 * Workers never migrate the database: they refuse to start until `npm run db:migrate` has run.
 */

import type { Server } from "node:http";
import type { Config } from "./config/env.ts";
import { metricsRoutes } from "./http/metrics.ts";
import { createLogger, type Logger, loggerFormat } from "./observability/logger.ts";
import type { Telemetry } from "./observability/telemetry.ts";
import { createStack, listen } from "./stack.ts";
import { exitWithError, loadConfigOrExit, onShutdown } from "./startup.ts";
import { readVersion } from "./version.ts";

/** A worker's own /metrics (FLOWTRACE_METRICS_PORT), behind FLOWTRACE_METRICS_TOKEN when set. */
async function serveMetrics(config: Config, telemetry: Telemetry, logger: Logger): Promise<Server> {
  const app = metricsRoutes(telemetry.metrics.registry, config.metrics.token);
  const { server, url } = await listen({ host: config.host, port: config.metrics.port }, app);
  logger.info({ port: config.metrics.port }, `worker metrics at ${url}/metrics`);
  return server;
}

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, name: "flowtrace-worker", ...loggerFormat(config) });
  if (!config.redisUrl || !config.databaseUrl) {
    throw new Error(
      "a separate worker needs DATABASE_URL and REDIS_URL (server mode); in embedded mode `npm start` already runs the executor",
    );
  }
  const version = await readVersion();
  logger.info({ version: version.version, gitSha: version.gitSha }, "starting FlowTrace worker");
  const stack = await createStack(config, "worker", logger);
  const metricsServer = config.metrics.port ? await serveMetrics(config, stack.telemetry, logger) : null;
  onShutdown(
    async () => {
      metricsServer?.close();
      await stack.close(config.shutdownTimeoutMs);
      logger.info("worker shutdown complete");
    },
    { timeoutMs: config.shutdownTimeoutMs + 5_000, log: (msg) => logger.info(msg) },
  );
}

main().catch(exitWithError);
