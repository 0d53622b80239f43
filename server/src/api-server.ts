/**
 * The API process (loaded by main.api.ts): API (GraphQL + REST/SSE) and dashboard. In embedded mode (no DATABASE_URL/REDIS_URL)
 * it also executes runs in-process; in server mode it does so only with FLOWTRACE_INLINE_WORKER=1.
 */

import type { Server } from "node:http";
import { type Config, checkExposure, redactUrl } from "./config/env.ts";
import { InflightRequests } from "./http/inflight.ts";
import { createLogger, type Logger, loggerFormat } from "./observability/logger.ts";
import { seedDemoWorkflows } from "./services/seed.ts";
import { createStack, listen, type Stack, stackHttpApp } from "./stack.ts";
import { exitWithError, loadConfigOrExit, onShutdown } from "./startup.ts";
import { readVersion } from "./version.ts";

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

interface Running {
  server: Server;
  inflight: InflightRequests;
  stack: Stack;
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
  await running.stack.close(config.shutdownTimeoutMs);
  logger.info("shutdown complete");
}

async function main() {
  const config = loadConfigOrExit();
  checkExposure(config);
  const logger = createLogger({ level: config.logLevel, ...loggerFormat(config) });
  logStarting(config, logger, await readVersion());
  const stack = await createStack(config, "api", logger);
  const inflight = new InflightRequests();
  const { server, port, url } = await listen(config, stackHttpApp(stack, inflight)).catch(async (error) => {
    await stack.close();
    throw error;
  });
  if (config.seedDemo) {
    const seeded = await seedDemoWorkflows(stack.services.prisma, config.publicUrl, { onlyIfEmpty: true });
    if (seeded.created.length) logger.info({ workflows: seeded.created }, "created the demo workflows");
  }
  logger.info({ url, port }, `FlowTrace is ready at ${url}`);
  onShutdown(() => shutDown(config, logger, { server, inflight, stack }), {
    timeoutMs: config.shutdownDrainMs + config.shutdownTimeoutMs + 5_000,
    log: (msg) => logger.info(msg),
  });
}

main().catch(exitWithError);
