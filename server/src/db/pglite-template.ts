/**
 * A fresh embedded database starts from a template instead of running initdb: PostgreSQL's initdb
 * in WebAssembly takes ~6 s on a 2-core machine, loading the same cluster from a gzip tarball ~1.4 s
 * (measured; issue 23's first-start target is 5 s). `npm install` writes the template
 * (scripts/postinstall.mjs → `writeTemplate`); a start without one falls back to initdb and writes
 * it then, so the next fresh data directory is fast. The file is keyed by the PGlite version: a
 * template from another version is never loaded. The template written at install time also holds
 * the schema: the migrations are applied to it (through the same runner, over the wire), so a first
 * start only checks them (another 0.8 s saved). Its name carries a digest of the migrations, so a
 * checkout with other migrations never starts from a template migrated differently; the runner
 * applies whatever a template lacks either way.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { checksum, readMigrations, runMigrations } from "./migrate.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The installed PGlite's version (its package.json is not an export, so read from its directory). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, "package.json")) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

/** A short digest of every migration's name and checksum, in order. */
async function migrationsDigest(): Promise<string> {
  const files = await readMigrations();
  return checksum(files.map((f) => `${f.name}:${f.checksum}`).join("\n")).slice(0, 12);
}

const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "flowtrace");

/**
 * `schema`: the template `npm install` writes (migrated); `initdb`: the one a start without it saves
 * right after initdb (bare). A fresh data directory starts from the first that exists.
 */
export async function templatePath(kind: "schema" | "initdb" = "schema"): Promise<string> {
  const name =
    kind === "schema"
      ? `pglite-${pgliteVersion()}-schema-${await migrationsDigest()}.tar.gz`
      : `pglite-${pgliteVersion()}-initdb.tar.gz`;
  return path.join(CACHE_DIR, name);
}

export async function readTemplate(): Promise<Blob | null> {
  for (const kind of ["schema", "initdb"] as const) {
    const bytes = await readFile(await templatePath(kind)).catch(() => null);
    if (bytes) return new Blob([bytes]);
  }
  return null;
}

/** Store `db`'s cluster as a template of that kind; atomic rename. */
export async function saveTemplate(db: PGlite, kind: "schema" | "initdb"): Promise<void> {
  const file = await templatePath(kind);
  await mkdir(path.dirname(file), { recursive: true });
  const dump = await db.dumpDataDir("gzip");
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, file);
}

/** Apply the migrations to an in-memory cluster through the runner, over the wire like any start. */
async function migrate(db: PGlite): Promise<void> {
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
  await server.start();
  try {
    await runMigrations(`postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`);
  } finally {
    await server.stop();
  }
}

/** `npm install`: create the migrated template once (a no-op when it exists). */
export async function writeTemplate(): Promise<"exists" | "written"> {
  if (await stat(await templatePath()).catch(() => null)) return "exists";
  const db = await PGlite.create();
  try {
    await migrate(db);
    await saveTemplate(db, "schema");
  } finally {
    await db.close();
  }
  return "written";
}
