/**
 * Offline migration runner, compatible with `prisma migrate deploy`.
 *
 * Applies `prisma/migrations/<name>/migration.sql` in name order and records each one in Prisma's
 * own `_prisma_migrations` table (same columns, checksum = SHA-256 hex of the file), under the same
 * advisory lock Prisma takes. A database migrated here is accepted by `prisma migrate deploy` on a
 * machine with Prisma's native engine, and the reverse.
 *
 * Each migration runs in its own transaction: a failing migration is rolled back entirely and
 * nothing is recorded, so the database is never left half-migrated.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { redactUrl } from "../config/env.ts";

/** Prisma's migrate advisory lock key, so our runner and Prisma's never run at the same time. */
const PRISMA_ADVISORY_LOCK = 72707369;

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export type MigrationErrorCode =
  | "unreachable"
  | "failed"
  | "modified"
  | "previously_failed"
  | "missing_locally"
  | "pending";

export class MigrationError extends Error {
  override readonly name = "MigrationError";
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migration?: string,
  ) {
    super(message);
  }
}

export function checksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
    files.push({ name, sql, checksum: checksum(sql) });
  }
  return files;
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Human description of a connection failure, without credentials. */
export function describeConnectionError(databaseUrl: string, error: unknown): string {
  const code = (error as { code?: string }).code;
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return `cannot reach PostgreSQL at ${redactUrl(databaseUrl)} (${detail})`;
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    // Like `prisma migrate deploy`, create the database when the server is up but it is missing.
    if ((error as { code?: string }).code === "3D000") {
      await createDatabase(databaseUrl);
      const retry = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
      await retry.connect();
      return retry;
    }
    throw new MigrationError("unreachable", describeConnectionError(databaseUrl, error));
  }
}

async function createDatabase(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== "42P04") {
      throw new MigrationError("unreachable", describeConnectionError(databaseUrl, error));
    }
  } finally {
    await admin.end().catch(() => {});
  }
}

function compare(local: MigrationFile[], applied: AppliedRow[]) {
  const failed = applied.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      "previously_failed",
      `migration ${failed.migration_name} failed earlier and was never resolved; fix the database, then run \`prisma migrate resolve --rolled-back ${failed.migration_name}\` or delete its row from _prisma_migrations`,
      failed.migration_name,
    );
  }
  const done = new Map(
    applied.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r]),
  );
  const localNames = new Set(local.map((m) => m.name));
  for (const name of done.keys()) {
    if (!localNames.has(name)) {
      throw new MigrationError(
        "missing_locally",
        `the database has migration ${name} applied, which this checkout does not have; it was migrated by a newer FlowTrace`,
        name,
      );
    }
  }
  for (const m of local) {
    const row = done.get(m.name);
    if (row && row.checksum !== m.checksum) {
      throw new MigrationError(
        "modified",
        `migration ${m.name} was modified after it was applied (checksum differs); add a new migration instead of editing an applied one`,
        m.name,
      );
    }
  }
  return {
    pending: local.filter((m) => !done.has(m.name)),
    alreadyApplied: local.filter((m) => done.has(m.name)).map((m) => m.name),
  };
}

/** Apply every pending migration. Idempotent; safe to run from several processes at once. */
export async function runMigrations(
  databaseUrl: string,
  options: { dir?: string; onApplied?: (name: string) => void } = {},
): Promise<MigrationResult> {
  const local = await readMigrations(options.dir);
  const client = await connect(databaseUrl);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const { pending, alreadyApplied } = compare(local, rows);
    const applied: string[] = [];
    for (const m of pending) {
      try {
        await client.query("BEGIN");
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, NULL, NULL, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(
          "failed",
          `migration ${m.name} failed and was rolled back, the database is unchanged: ${reason}`,
          m.name,
        );
      }
      applied.push(m.name);
      options.onApplied?.(m.name);
    }
    return { applied, alreadyApplied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Throw unless every local migration is applied (used by workers, which never migrate). */
export async function assertMigrated(databaseUrl: string, dir?: string): Promise<void> {
  const local = await readMigrations(dir);
  const client = await connect(databaseUrl);
  try {
    const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
    const rows =
      exists.rows[0]?.t === null
        ? []
        : (
            await client.query<AppliedRow>(
              `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
            )
          ).rows;
    const { pending } = compare(local, rows);
    if (pending.length > 0) {
      throw new MigrationError(
        "pending",
        `the database is missing ${pending.length} migration(s) (${pending.map((m) => m.name).join(", ")}); run \`npm run db:migrate\``,
      );
    }
  } finally {
    await client.end().catch(() => {});
  }
}
