/**
 * A fresh embedded data directory starts from the template cluster (`npm install` writes it): it is
 * a working, already migrated PostgreSQL that keeps its data across restarts, like one made by initdb.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded.ts";
import { readMigrations, runMigrations } from "./migrate.ts";
import { templatePath, writeTemplate } from "./pglite-template.ts";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded database template", () => {
  it("gives a fresh data directory a working cluster that survives a restart", async () => {
    expect(["exists", "written"]).toContain(await writeTemplate());
    expect((await stat(await templatePath())).size).toBeGreaterThan(100_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), "ft-template-"));
    dirs.push(dir);
    const first = await startEmbeddedPostgres({ dataDir: dir });
    // The template holds the schema: every migration is recorded as applied, so a first start only checks.
    const applied = await query(
      first.url,
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL",
    );
    expect(applied.map((r) => r.migration_name).sort()).toEqual((await readMigrations()).map((m) => m.name).sort());
    expect(await runMigrations(first.url)).toMatchObject({ applied: [] });
    await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    await first.stop();
    expect((await stat(path.join(dir, "pgdata", "PG_VERSION"))).isFile()).toBe(true);
    const second = await startEmbeddedPostgres({ dataDir: dir });
    try {
      expect(await query(second.url, "SELECT v FROM kept")).toEqual([{ v: "still here" }]);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
