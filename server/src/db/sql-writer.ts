/**
 * Where the executor's hot-path statements go (the trace recorder's per-step statement). Through
 * Prisma by default; a worker sends them on its own `pg` pool (the checkpointer's), skipping the
 * client-side query compilation Prisma does per statement (~1 ms each on a 2-core machine,
 * more than PostgreSQL spends running the statement — docs/performance.md). Same SQL, same
 * parameters, same errors for `isDatabaseUnavailable`.
 */
import type pg from "pg";
import type { Prisma, PrismaClient } from "./prisma.ts";

export interface SqlWriter {
  /** Runs one statement; the number of rows it inserted or updated. */
  execute(statement: Prisma.Sql): Promise<number>;
}

export function prismaWriter(prisma: PrismaClient): SqlWriter {
  return { execute: (statement) => prisma.$executeRaw(statement) };
}

export function pgWriter(pool: pg.Pool): SqlWriter {
  return {
    execute: async (statement) => (await pool.query(statement.text, statement.values as unknown[])).rowCount ?? 0,
  };
}
