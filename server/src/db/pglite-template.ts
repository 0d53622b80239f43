/**
 * A fresh embedded database starts from a template instead of running initdb: PostgreSQL's initdb
 * in WebAssembly takes ~6 s on a 2-core machine, loading the same cluster from a gzip tarball ~1.4 s
 * (measured; issue 23's first-start target is 5 s). `npm install` writes the template
 * (scripts/postinstall.mjs → `writeTemplate`); a start without one falls back to initdb and writes
 * it then, so the next fresh data directory is fast. The file is keyed by the PGlite version: a
 * template from another version is never loaded.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The installed PGlite's version (its package.json is not an export, so read from its directory). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, "package.json")) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

export function templatePath(): string {
  return path.join(ROOT, "node_modules", ".cache", "flowtrace", `pglite-${pgliteVersion()}-initdb.tar.gz`);
}

export async function readTemplate(): Promise<Blob | null> {
  try {
    return new Blob([await readFile(templatePath())]);
  } catch {
    return null;
  }
}

/** Store `db`'s cluster (just initialised, nothing else in it) as the template; atomic rename. */
export async function saveTemplate(db: PGlite): Promise<void> {
  const file = templatePath();
  await mkdir(path.dirname(file), { recursive: true });
  const dump = await db.dumpDataDir("gzip");
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, file);
}

/** `npm install`: create the template once (a no-op when it exists). */
export async function writeTemplate(): Promise<"exists" | "written"> {
  if (await stat(templatePath()).catch(() => null)) return "exists";
  const db = await PGlite.create();
  try {
    await saveTemplate(db);
  } finally {
    await db.close();
  }
  return "written";
}
