/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) kept under FLOWTRACE_DATA_DIR
 * and served over the PostgreSQL wire protocol on 127.0.0.1, so Prisma, the migration runner and
 * every other client use exactly the code paths they use against a real PostgreSQL server.
 *
 * One process owns a data directory at a time (a pid lock file guards it).
 */
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { readTemplate, saveTemplate } from "./pglite-template.ts";

export interface EmbeddedPostgres {
  /** Connection URL for pg / Prisma. */
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function acquireLock(lockPath: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(
          `the embedded database in ${path.dirname(lockPath)} is in use by another FlowTrace process (pid ${pid}); stop it or set FLOWTRACE_DATA_DIR to another directory`,
        );
      }
      // Stale lock left by a process that died: take it over.
      await rm(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`could not lock ${lockPath}`);
}

/** An existing cluster as it is; a new one from the template (or initdb, then saved as the template). */
async function openCluster(pgDir: string): Promise<PGlite> {
  if (await isCluster(pgDir)) return PGlite.create(pgDir);
  const template = await readTemplate();
  if (template) return PGlite.create(pgDir, { loadDataDir: template });
  const db = await PGlite.create(pgDir);
  await saveTemplate(db, "initdb").catch(() => {}); // a read-only node_modules only costs the next start the same wait
  return db;
}

async function isCluster(pgDir: string): Promise<boolean> {
  return readFile(path.join(pgDir, "PG_VERSION")).then(
    () => true,
    () => false,
  );
}

type StartOptions = { dataDir: string; port?: number };
let early: { key: string; started: Promise<EmbeddedPostgres> } | null = null;
const keyOf = (o: StartOptions) => `${path.resolve(o.dataDir)}:${o.port ?? 0}`;

/** Start the embedded database now, for `takeEarlyEmbedded` to hand over later (main.api.ts). */
export function startEmbeddedEarly(options: StartOptions): void {
  const started = startEmbeddedPostgres(options);
  started.catch(() => {}); // the taker sees the error
  early = { key: keyOf(options), started };
}

/** The database `startEmbeddedEarly` started with these options, once; else null. */
export function takeEarlyEmbedded(options: StartOptions): Promise<EmbeddedPostgres> | null {
  if (!early || early.key !== keyOf(options)) return null;
  const { started } = early;
  early = null;
  return started;
}

export async function startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const pgDir = path.join(dataDir, "pgdata");
  await mkdir(pgDir, { recursive: true });
  const release = await acquireLock(path.join(dataDir, "embedded-db.lock"));
  let db: PGlite | undefined;
  try {
    db = await openCluster(pgDir);
    const server = new PGLiteSocketServer({
      db,
      host: "127.0.0.1",
      port: options.port ?? 0,
      maxConnections: 64,
    });
    await server.start();
    const url = `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    const pglite = db;
    let stopped = false;
    return {
      url,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await pglite.close();
        await release();
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    await release();
    throw error;
  }
}
