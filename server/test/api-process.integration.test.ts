/**
 * The real entry points as separate processes: embedded boot and restart, server mode against real
 * PostgreSQL and Redis (with outages simulated by cutting a TCP proxy), and start-up failures.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { readMigrations } from "../src/db/migrate.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { freePort, getJson, type Proc, startApi, startProcess, TcpProxy, until } from "./helpers/process.ts";

const procs: Proc[] = [];
const dirs: string[] = [];
const dbs: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop("SIGKILL")));
});
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  await Promise.all(dbs.map((d) => d.drop()));
});

const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "flowtrace-it-"));
  dirs.push(dir);
  return dir;
};

const gql = async (base: string, query: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
};

async function api(env: Record<string, string>) {
  const port = await freePort();
  const proc = startApi({ PORT: String(port), ...env });
  procs.push(proc);
  await proc.waitFor(/FlowTrace is ready at/);
  return { proc, base: `http://127.0.0.1:${port}` };
}

const oneLine = (s: string) => s.trim().split("\n").length === 1;

describe("embedded mode (no DATABASE_URL, no REDIS_URL)", () => {
  it("boots on a temp data dir, migrates, serves health, and keeps data across a restart", async () => {
    const dataDir = await tempDir();
    const dbPort = await freePort();
    const env = { FLOWTRACE_DATA_DIR: dataDir, FLOWTRACE_EMBEDDED_DB_PORT: String(dbPort) };
    const first = await api(env);
    expect(first.proc.stdout()).toMatch(/starting FlowTrace in embedded mode/);
    expect(first.proc.stdout()).toMatch(/database: embedded PGlite/);
    expect(first.proc.stdout()).toMatch(/queue and pub\/sub: in-process/);
    expect(await getJson(`${first.base}/health`)).toEqual({
      status: 200,
      body: { status: "ok", db: "ok", queue: "embedded" },
    });

    // Write through the embedded database's wire protocol, read back through the API.
    const client = new pg.Client({
      connectionString: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres?sslmode=disable`,
    });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO workflows (id, project_id, name, graph_json, updated_at) VALUES (gen_random_uuid(), (SELECT id FROM projects WHERE name = 'default'), 'kept', '{"version":"1"}', now()) RETURNING id`,
    );
    await client.end();
    const id = rows[0]?.id;
    const q = "query($id: ID!) { workflow(id: $id) { name graphJson } }";
    expect((await gql(first.base, q, { id })).data).toEqual({
      workflow: { name: "kept", graphJson: { version: "1" } },
    });

    expect(await first.proc.stop("SIGINT")).toBe(0);
    expect(first.proc.stdout()).toMatch(/shutdown complete/);

    const second = await api(env);
    expect(second.proc.stdout()).not.toMatch(/migration applied/);
    expect((await gql(second.base, q, { id })).data).toEqual({
      workflow: { name: "kept", graphJson: { version: "1" } },
    });
    expect(await second.proc.stop()).toBe(0);
  });

  it("keeps a run waiting for approval across a restart, and resumes it after", async () => {
    const env = {
      FLOWTRACE_DATA_DIR: await tempDir(),
      FLOWTRACE_EMBEDDED_DB_PORT: String(await freePort()),
      FLOWTRACE_SIMULATOR_LATENCY_MS: "0",
    };
    const first = await api(env);
    const list = (await getJson(`${first.base}/api/workflows`)).body as { items: { id: string; name: string }[] };
    const demo = list.items.find((w) => w.name.startsWith("Draft → Approve"));
    const started = await fetch(`${first.base}/api/workflows/${demo?.id}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input_vars: { topic: "restart" } }),
    });
    const { runId } = (await started.json()) as { runId: string };
    const statusOf = async (base: string) =>
      ((await getJson(`${base}/api/runs/${runId}`)).body as { status: string }).status;
    await until(
      () => statusOf(first.base),
      (s) => s === "waiting",
      30_000,
    );
    expect(await first.proc.stop("SIGINT")).toBe(0);

    const second = await api(env);
    expect(await statusOf(second.base)).toBe("waiting");
    const decided = await fetch(`${second.base}/api/runs/${runId}/approvals/approve`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(decided.status).toBe(200);
    await until(
      () => statusOf(second.base),
      (s) => s === "succeeded",
      30_000,
    );
    expect(await second.proc.stop()).toBe(0);
  });

  it("refuses a second process on the same data dir with one clear line", async () => {
    const dataDir = await tempDir();
    await api({ FLOWTRACE_DATA_DIR: dataDir });
    const port = await freePort();
    const second = startApi({ FLOWTRACE_DATA_DIR: dataDir, PORT: String(port) });
    procs.push(second);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/^flowtrace: the embedded database in .* is in use by another FlowTrace process/);
    expect(oneLine(second.stderr())).toBe(true);
  });
});

describe("server mode (DATABASE_URL and REDIS_URL)", () => {
  it("uses the real services and turns /health 503 while one is away, then recovers", async () => {
    const db = await createTestDatabase({ empty: true });
    dbs.push(db);
    const pgUrl = new URL(db.url);
    const redisUrl = new URL(inject("redisUrl"));
    const pgProxy = new TcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
    const redisProxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    await pgProxy.open();
    await redisProxy.open();
    pgUrl.host = `127.0.0.1:${pgProxy.port}`;
    redisUrl.host = `127.0.0.1:${redisProxy.port}`;

    const { proc, base } = await api({ DATABASE_URL: pgUrl.toString(), REDIS_URL: redisUrl.toString() });
    expect(proc.stdout()).toMatch(/starting FlowTrace in server mode/);
    expect(proc.stdout()).toMatch(/migration applied/);
    expect(proc.stdout()).toMatch(/queue and pub\/sub: Redis \(BullMQ\)/);
    expect(await getJson(`${base}/health`)).toEqual({ status: 200, body: { status: "ok", db: "ok", queue: "redis" } });

    await redisProxy.cut();
    const redisDown = await until(
      () => getJson(`${base}/health`),
      (r) => r.status === 503,
    );
    expect(redisDown.body).toMatchObject({ status: "unavailable", db: "ok", queue: "unavailable" });
    await redisProxy.open();
    await until(
      () => getJson(`${base}/health`),
      (r) => r.status === 200,
    );

    await pgProxy.cut();
    const pgDown = await until(
      () => getJson(`${base}/health`),
      (r) => r.status === 503,
    );
    expect(pgDown.body).toMatchObject({ status: "unavailable", db: "unavailable", queue: "redis" });
    expect(JSON.stringify(pgDown.body)).toMatch(/cannot reach PostgreSQL/);
    await pgProxy.open();
    await until(
      () => getJson(`${base}/health`),
      (r) => r.status === 200,
    );
    expect(proc.child.exitCode).toBeNull();
    expect(await proc.stop()).toBe(0);
    await pgProxy.cut();
    await redisProxy.cut();
  });
});

describe("start-up failures: one clear line, exit code 1", () => {
  it("names a bad configuration variable", async () => {
    const p = startApi({ PORT: "abc" });
    procs.push(p);
    expect(await p.exited).toBe(1);
    expect(p.stderr().trim()).toBe(
      'flowtrace: Invalid configuration: PORT is invalid: expected an integer between 0 and 65535 (got "abc")',
    );
  });

  it("explains an unreachable database without leaking its password", async () => {
    const p = startApi({ DATABASE_URL: "postgresql://postgres:topsecret@127.0.0.1:1/flowtrace" });
    procs.push(p);
    expect(await p.exited).toBe(1);
    expect(oneLine(p.stderr())).toBe(true);
    expect(p.stderr()).toMatch(
      /^flowtrace: cannot reach PostgreSQL at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/flowtrace \(ECONNREFUSED\)/,
    );
    expect(p.stderr() + p.stdout()).not.toContain("topsecret");
  });

  it("reports a port already in use", async () => {
    const { base } = await api({ FLOWTRACE_DATA_DIR: await tempDir() });
    const port = new URL(base).port;
    const p = startApi({ FLOWTRACE_DATA_DIR: await tempDir(), PORT: port });
    procs.push(p);
    expect(await p.exited).toBe(1);
    expect(oneLine(p.stderr())).toBe(true);
    expect(p.stderr()).toMatch(/port is already in use/);
  });
});

describe("worker process", () => {
  it("needs server mode", async () => {
    const p = startProcess("server/src/main.worker.ts", {});
    procs.push(p);
    expect(await p.exited).toBe(1);
    expect(p.stderr().trim()).toMatch(
      /^flowtrace: failed to start: a separate worker needs DATABASE_URL and REDIS_URL/,
    );
  });

  it("refuses an unmigrated database, then starts and stops cleanly once migrated", async () => {
    const db = await createTestDatabase({ empty: true });
    dbs.push(db);
    const env = { DATABASE_URL: db.url, REDIS_URL: inject("redisUrl") };
    const p = startProcess("server/src/main.worker.ts", env);
    procs.push(p);
    expect(await p.exited).toBe(1);
    expect(oneLine(p.stderr())).toBe(true);
    const count = (await readMigrations()).length;
    expect(p.stderr()).toMatch(new RegExp(`missing ${count} migration\\(s\\).*run \`npm run db:migrate\``));

    const migrate = startProcess("server/src/cli/migrate.ts", env);
    expect(await migrate.exited).toBe(0);
    expect(migrate.stdout()).toMatch(new RegExp(`applied ${count} migration`));

    const metricsPort = await freePort();
    const token = "metrics-token-0123456789";
    const w = startProcess("server/src/main.worker.ts", {
      ...env,
      FLOWTRACE_METRICS_PORT: String(metricsPort),
      FLOWTRACE_METRICS_TOKEN: token,
    });
    procs.push(w);
    await w.waitFor(/worker started/);
    // The worker serves its own metrics, behind the metrics token (listening once it says where).
    await w.waitFor(/worker metrics at http/);
    const url = `http://127.0.0.1:${metricsPort}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const scraped = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toMatch(/^# TYPE flowtrace_runs_in_progress gauge$/m);
    expect(text).toMatch(/^flowtrace_queue_jobs\{queue="runs",state="waiting"\} 0$/m);
    expect(await w.stop()).toBe(0);
    expect(w.stdout()).toMatch(/worker shutdown complete/);
  });
});
