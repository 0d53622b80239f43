import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checksum, DEFAULT_MIGRATIONS_DIR, readMigrations } from "../../src/db/migrate.ts";

describe("committed migrations", () => {
  it("are in Prisma's layout with a lock file for PostgreSQL", async () => {
    expect(readFileSync(`${DEFAULT_MIGRATIONS_DIR}/migration_lock.toml`, "utf8")).toMatch(/provider = "postgresql"/);
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) {
      expect(m.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(existsSync(`${DEFAULT_MIGRATIONS_DIR}/${m.name}/migration.sql`)).toBe(true);
      expect(m.checksum).toBe(checksum(m.sql));
      expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(migrations.map((m) => m.name)).toEqual([...migrations.map((m) => m.name)].sort());
  });
});
