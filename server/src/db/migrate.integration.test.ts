import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";
import {
  assertMigrated,
  checksum,
  DEFAULT_MIGRATIONS_DIR,
  MigrationError,
  readMigrations,
  runMigrations,
} from "./migrate.ts";

const dbs: TestDatabase[] = [];
const fresh = async () => {
  const db = await createTestDatabase({ empty: true });
  dbs.push(db);
  return db;
};
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

const tables = (url: string) =>
  query<{ table_name: string }>(
    url,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  ).then((rows) => rows.map((r) => r.table_name));

async function migrationsDir(extra: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ft-migrations-"));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("migration runner", () => {
  it("migrates a fresh database and records rows in Prisma's _prisma_migrations format", async () => {
    const db = await fresh();
    const result = await runMigrations(db.url);
    const local = await readMigrations();
    expect(result.applied).toEqual(local.map((m) => m.name));
    expect(await tables(db.url)).toEqual([
      "_prisma_migrations",
      "alert_deliveries",
      "alerts",
      "api_keys",
      "approvals",
      "audit_log",
      "dataset_items",
      "datasets",
      "experiment_items",
      "experiments",
      "invitations",
      "llm_cache",
      "mcp_servers",
      "memberships",
      "project_budgets",
      "projects",
      "provider_bindings",
      "run_steps",
      "secrets",
      "sessions",
      "trace_events",
      "users",
      "workflow_runs",
      "workflow_versions",
      "workflows",
    ]);
    const rows = await query<Record<string, unknown>>(db.url, 'SELECT * FROM "_prisma_migrations"');
    expect(rows).toHaveLength(local.length);
    for (const row of rows) {
      const m = local.find((l) => l.name === row.migration_name);
      expect(row.checksum).toBe(m?.checksum);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("is idempotent", async () => {
    const db = await fresh();
    await runMigrations(db.url);
    const again = await runMigrations(db.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBeGreaterThan(0);
    await expect(assertMigrated(db.url)).resolves.toBeUndefined();
  });

  it("applies once when several processes migrate at the same time", async () => {
    const db = await fresh();
    const count = (await readMigrations()).length;
    const results = await Promise.all([runMigrations(db.url), runMigrations(db.url), runMigrations(db.url)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, count]);
    const rows = await query(db.url, 'SELECT 1 FROM "_prisma_migrations"');
    expect(rows).toHaveLength(count);
  });

  it("rolls back a failing migration entirely and records nothing", async () => {
    const db = await fresh();
    await runMigrations(db.url);
    const dir = await migrationsDir({
      "29990101000000_broken": 'CREATE TABLE "half_done" (id int);\nALTER TABLE "no_such_table" ADD COLUMN x int;',
    });
    const error = await runMigrations(db.url, { dir }).catch((e) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe("failed");
    expect(error.message).toMatch(/migration 29990101000000_broken failed and was rolled back.*no_such_table/);
    expect(await tables(db.url)).not.toContain("half_done");
    const names = await query<{ migration_name: string }>(db.url, 'SELECT migration_name FROM "_prisma_migrations"');
    expect(names.map((n) => n.migration_name)).not.toContain("29990101000000_broken");
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const db = await fresh();
    await runMigrations(db.url);
    const dir = await migrationsDir({});
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first?.name ?? "", "migration.sql"), `${first?.sql}\n-- edited\n`);
    await expect(runMigrations(db.url, { dir })).rejects.toThrow(/was modified after it was applied/);
    expect(checksum(`${first?.sql}\n-- edited\n`)).not.toBe(first?.checksum);
  });

  it("refuses to run over a failed migration recorded by Prisma", async () => {
    const db = await fresh();
    await runMigrations(db.url);
    await query(
      db.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ('00000000-0000-0000-0000-000000000001', 'x', '29990101000000_failed', now(), 0)`,
    );
    await expect(runMigrations(db.url)).rejects.toThrow(/29990101000000_failed failed earlier/);
  });

  it("lets workers detect a database that needs migrating", async () => {
    const db = await fresh();
    await expect(assertMigrated(db.url)).rejects.toThrow(/run `npm run db:migrate`/);
  });

  it("creates the database when the server is up but the database is missing", async () => {
    const db = await fresh();
    await db.drop();
    await runMigrations(db.url);
    expect(await tables(db.url)).toContain("workflows");
  });

  it("reports an unreachable server with one line and no password", async () => {
    const error = await runMigrations("postgresql://postgres:s3cret@127.0.0.1:1/flowtrace").catch((e) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe("unreachable");
    expect(error.message).toMatch(
      /cannot reach PostgreSQL at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/flowtrace \(ECONNREFUSED\)/,
    );
    expect(error.message).not.toContain("s3cret");
  });
});
