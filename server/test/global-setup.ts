/**
 * Integration test prerequisites: the real PostgreSQL and Redis must answer. If they do not, the run
 * fails at once with instructions (never silently skips). Builds one migrated template database that
 * each test file clones (CREATE DATABASE ... TEMPLATE), so files are isolated and fast.
 */

import { fileURLToPath } from "node:url";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { buildDashboard } from "../../scripts/dashboard.mjs";
import { loadTestInfraConfig } from "../src/config/env.ts";
import { readMigrations, runMigrations } from "../src/db/migrate.ts";
import { createRedis } from "../src/realtime/redis.ts";
import { adminUrl, dropDatabase, quoteIdent } from "./helpers/db.ts";

const HOW_TO_START =
  "Start them with `docker compose up -d postgres redis`, or on Debian: " +
  "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` and " +
  '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`. ' +
  "Point DATABASE_URL / REDIS_URL elsewhere if they run on other hosts.";

export default async function setup(project: TestProject) {
  const { databaseUrl, redisUrl } = loadTestInfraConfig();

  const admin = new pg.Client({ connectionString: adminUrl(databaseUrl), connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL at ${adminUrl(databaseUrl)} but it did not answer (${(error as Error).message}). ${HOW_TO_START}`,
    );
  }
  const redis = createRedis(redisUrl, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    await admin.end();
    throw new Error(
      `Integration tests need Redis at ${redisUrl} but it did not answer (${(error as Error).message}). ${HOW_TO_START}`,
    );
  } finally {
    redis.disconnect();
  }

  // One template per migration set: a new migration produces a new template automatically.
  const migrations = await readMigrations();
  const suffix = migrations
    .map((m) => m.checksum.slice(0, 4))
    .join("")
    .slice(-16);
  const template = `flowtrace_tpl_${process.pid}_${suffix}`;
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)}`);
  await admin.query(`CREATE DATABASE ${quoteIdent(template)}`);
  const templateUrl = new URL(databaseUrl);
  templateUrl.pathname = `/${template}`;
  await runMigrations(templateUrl.toString());
  await admin.end();

  // The browser tests serve the dashboard bundle: build it once, before any of them starts.
  if (project.name === "integration")
    await buildDashboard(fileURLToPath(new URL("../../", import.meta.url)), { logLevel: "error", quiet: true });

  project.provide("templateDatabase", template);
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisUrl", redisUrl);

  return async () => {
    await dropDatabase(databaseUrl, template);
  };
}
