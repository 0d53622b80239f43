/** The Prisma client, on the pg driver adapter (no native query engine needed). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export type { Approval, Experiment, ExperimentItem, WorkflowRun } from "./generated/prisma/client.ts";
export { Prisma, PrismaClient } from "./generated/prisma/client.ts";

import pg from "pg";

/**
 * A pg pool that survives the database going away: pg emits `error` on a checked-out client whose
 * connection breaks between queries (inside a transaction, say), and an unheard `error` event kills
 * the process. Every client gets a listener; the failure still reaches the query that uses it.
 */
export function resilientPool(config: pg.PoolConfig, onError?: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool(config);
  const report = (error: Error) => onError?.(error);
  pool.on("error", report);
  pool.on("connect", (client) => client.on("error", report));
  return pool;
}

export function createPrismaClient(databaseUrl: string, options: { maxConnections?: number; pool?: pg.Pool } = {}) {
  const pool =
    options.pool ??
    resilientPool({ connectionString: databaseUrl, max: options.maxConnections ?? 10, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
