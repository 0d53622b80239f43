/**
 * `npm run worker`: a queue worker for server mode (BullMQ on Redis). Run as many as you like on
 * as many machines as you like; each takes FLOWTRACE_WORKER_CONCURRENCY jobs at a time.
 * Workers never migrate the database: they refuse to start until `npm run db:migrate` has run.
 */

import { createEngine } from "./engine/create-engine.ts";
import { createLogger, loggerFormat } from "./observability/logger.ts";
import { createResources } from "./resources.ts";
import { exitWithError, loadConfigOrExit, onShutdown } from "./startup.ts";
import { readVersion } from "./version.ts";
import { startExecutorRole } from "./worker/executor-role.ts";
import { WorkerManager } from "./worker/manager.ts";

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
  const resources = await createResources(config, logger, { migrate: "verify" });
  const engine = await createEngine(resources);
  const workers = new WorkerManager(resources.queue, logger);
  onShutdown(
    async () => {
      await workers.close(config.shutdownTimeoutMs);
      await engine.close();
      await resources.close();
      logger.info("worker shutdown complete");
    },
    { timeoutMs: config.shutdownTimeoutMs + 5_000, log: (msg) => logger.info(msg) },
  );
  await startExecutorRole(workers, engine.deps, resources, { concurrency: config.workerConcurrency, logger });
}

main().catch(exitWithError);
