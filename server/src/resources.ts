/**
 * Builds the infrastructure a process needs (database, queue, pub/sub) from the configuration,
 * choosing embedded or server-mode implementations behind the same interfaces.
 */
import type { Config } from "./config/env.ts";
import { redactUrl } from "./config/env.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { createMcpConnections, type McpConnections } from "./mcp/connections.ts";
import type { Logger } from "./observability/logger.ts";
import { createBullmqQueue } from "./queue/bullmq-queue.ts";
import { createMemoryQueue } from "./queue/memory-queue.ts";
import type { JobQueue } from "./queue/queue.ts";
import { createMemoryPubSub } from "./realtime/memory-pubsub.ts";
import type { PubSub } from "./realtime/pubsub.ts";
import { createRedisPubSub } from "./realtime/redis-pubsub.ts";
import { type Keyring, keyringOf } from "./secrets/keyring.ts";

export interface Resources {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly queue: JobQueue;
  readonly pubsub: PubSub;
  /** The key(s) project secrets are encrypted under. */
  readonly keyring: Keyring;
  /** This process's connections to MCP servers (stdio children, HTTP sessions). */
  readonly mcp: McpConnections;
  close(): Promise<void>;
}

export async function createResources(
  config: Config,
  logger: Logger,
  options: { migrate: "apply" | "verify" },
): Promise<Resources> {
  const keyring = await keyringOf(config.tools, config.dataDir);
  const mcp = createMcpConnections({ idleMs: config.tools.mcpIdleMs });
  const db = await openDatabase(config, logger, options);
  let queue: JobQueue;
  let pubsub: PubSub;
  if (config.redisUrl) {
    queue = createBullmqQueue(config.redisUrl, { prefix: config.queuePrefix, lockMs: config.jobLockMs });
    pubsub = createRedisPubSub(config.redisUrl, { prefix: `${config.queuePrefix}:` });
    logger.info({ url: redactUrl(config.redisUrl) }, "queue and pub/sub: Redis (BullMQ)");
  } else {
    queue = createMemoryQueue();
    pubsub = createMemoryPubSub();
    logger.info("queue and pub/sub: in-process (REDIS_URL not set)");
  }
  return {
    config,
    logger,
    db,
    queue,
    pubsub,
    keyring,
    mcp,
    async close() {
      await mcp.close();
      await Promise.allSettled([queue.close(), pubsub.close()]);
      await db.close();
    },
  };
}
