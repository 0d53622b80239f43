/** The Prisma client, on the pg driver adapter (no native query engine needed). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export { Prisma, PrismaClient } from "./generated/prisma/client.ts";

import type pg from "pg";

export function createPrismaClient(databaseUrl: string, options: { maxConnections?: number; pool?: pg.Pool } = {}) {
  const adapter = new PrismaPg(
    options.pool ?? {
      connectionString: databaseUrl,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
    },
  );
  return new PrismaClient({ adapter });
}
