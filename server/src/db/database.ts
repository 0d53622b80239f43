/**
 * Opens the database FlowTrace runs on: the PostgreSQL server at DATABASE_URL, or the embedded one
 * under FLOWTRACE_DATA_DIR when DATABASE_URL is unset. Callers get one small interface either way.
 */

import type pg from "pg";
import type { Config } from "../config/env.ts";
import { redactUrl } from "../config/env.ts";
import type { Logger } from "../observability/logger.ts";
import { startEmbeddedPostgres, takeEarlyEmbedded } from "./embedded.ts";
import { assertMigrated, describeConnectionError, runMigrations } from "./migrate.ts";
import { createPrismaClient, type PrismaClient, resilientPool } from "./prisma.ts";

/** One connection for the whole process (see Database.pool). */
export function embeddedPool(url: string, logger?: Logger): pg.Pool {
  const pool = resilientPool({ connectionString: url, max: 1, connectionTimeoutMillis: 30_000 }, (error) =>
    logger?.warn({ err: error.message }, "embedded database connection error"),
  );
  return pool;
}

export interface Database {
  readonly kind: "postgres" | "embedded";
  readonly url: string;
  readonly prisma: PrismaClient;
  /**
   * A pg pool for other clients of the same database (the LangGraph checkpointer). In embedded mode
   * this is the single shared connection: PGlite's wire server interleaves the extended-protocol
   * messages of concurrent connections ("portal does not exist"), so everything goes through one.
   */
  pool(): pg.Pool;
  /** Resolves when the database answers a trivial query within the timeout. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
}

interface Server {
  url: string;
  stopEmbedded?: () => Promise<void>;
}

/** DATABASE_URL, or an embedded PGlite started in the data directory when it is not set. */
async function locateServer(config: Config, logger: Logger): Promise<Server> {
  if (config.databaseUrl !== null) {
    logger.info({ url: redactUrl(config.databaseUrl) }, "database: PostgreSQL");
    return { url: config.databaseUrl };
  }
  const options = { dataDir: config.dataDir, port: config.embeddedDbPort };
  const embedded = await (takeEarlyEmbedded(options) ?? startEmbeddedPostgres(options));
  logger.info({ dataDir: embedded.dataDir }, "database: embedded PGlite (DATABASE_URL not set)");
  return { url: embedded.url, stopEmbedded: embedded.stop };
}

async function prepareSchema(url: string, logger: Logger, migrate: "apply" | "verify"): Promise<void> {
  if (migrate === "verify") return assertMigrated(url);
  const result = await runMigrations(url, {
    onApplied: (name) => logger.info({ migration: name }, "migration applied"),
  });
  logger.info(
    { applied: result.applied.length, upToDate: result.alreadyApplied.length },
    "database schema is up to date",
  );
}

async function pingWithin(prisma: PrismaClient, url: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      prisma.$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new DatabaseUnavailableError(describeConnectionError(url, error));
  } finally {
    clearTimeout(timer);
  }
}

export async function openDatabase(
  config: Config,
  logger: Logger,
  options: { migrate: "apply" | "verify" },
): Promise<Database> {
  const { url, stopEmbedded } = await locateServer(config, logger);
  try {
    await prepareSchema(url, logger, options.migrate);
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
  const shared = stopEmbedded ? embeddedPool(url, logger) : null;
  // Runs in flight each hold a connection for short bursts: size the pool with the executor's concurrency.
  const prisma = shared
    ? createPrismaClient(url, { pool: shared })
    : createPrismaClient(url, { maxConnections: Math.max(10, config.workerConcurrency + 6) });
  const extraPools: pg.Pool[] = [];
  const newPool = () =>
    resilientPool(
      { connectionString: url, max: Math.max(4, config.workerConcurrency + 2), connectionTimeoutMillis: 5_000 },
      (error) => logger.warn({ err: error.message }, "database connection error"),
    );
  return {
    kind: stopEmbedded ? "embedded" : "postgres",
    url,
    prisma,
    ping: (timeoutMs = 2_000) => pingWithin(prisma, url, timeoutMs),
    pool() {
      if (shared) return shared;
      const pool = newPool();
      extraPools.push(pool);
      return pool;
    },
    async close() {
      await prisma.$disconnect().catch(() => {});
      await Promise.allSettled(extraPools.map((p) => p.end()));
      await shared?.end().catch(() => {});
      await stopEmbedded?.();
    },
  };
}
