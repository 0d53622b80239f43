/** Per-test-file databases cloned from the migrated template built in global-setup.ts. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.ts";

/** What global-setup.ts provides to every integration test file. */
declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    databaseUrl: string;
    redisUrl: string;
  }
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function adminUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(databaseUrl) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(databaseUrl: string, name: string): Promise<void> {
  await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;

/** A fresh database for one test file: migrated (cloned from the template) unless `empty` is set. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const base = inject("databaseUrl");
  const name = uniqueName("flowtrace_test");
  const template = options.empty ? "template0" : inject("templateDatabase");
  await adminQuery(base, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
  return { name, url: withDatabase(base, name), drop: () => dropDatabase(base, name) };
}

/**
 * A Prisma client on a fresh database for the calling test file: created in beforeAll, closed and
 * dropped in afterAll. The returned client forwards to it, so it can be declared at module level.
 */
export function useTestPrisma(): PrismaClient {
  let db: TestDatabase | undefined;
  let client: PrismaClient | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = createPrismaClient(db.url);
  });
  afterAll(async () => {
    await client?.$disconnect();
    await db?.drop();
  });
  return new Proxy({} as PrismaClient, {
    get(_target, prop) {
      if (!client) throw new Error("useTestPrisma(): the client exists once beforeAll has run");
      const value = Reflect.get(client, prop, client);
      return typeof value === "function" ? value.bind(client) : value;
    },
  });
}
