/** GET /health and GET /version. Health answers 503 naming the failing part; it never throws. */
import { Hono } from "hono";
import type { Database } from "../db/database.ts";
import type { JobQueue } from "../queue/queue.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import { readVersion } from "../version.ts";

export interface HealthDeps {
  db: Pick<Database, "ping" | "kind">;
  queue: Pick<JobQueue, "ping" | "kind">;
  pubsub: Pick<PubSub, "ping" | "kind">;
  /** True while the process drains before shutting down: health turns 503 so traffic moves away. */
  draining?: () => boolean;
}

export interface HealthReport {
  status: "ok" | "unavailable" | "draining";
  db: "ok" | "unavailable";
  queue: "redis" | "embedded" | "unavailable";
  errors?: { db?: string; queue?: string };
}

const message = (r: PromiseSettledResult<unknown>) =>
  r.status === "rejected" ? (r.reason instanceof Error ? r.reason.message : String(r.reason)) : undefined;

export async function checkHealth(deps: HealthDeps, timeoutMs = 2_000): Promise<HealthReport> {
  const [db, queue, pubsub] = await Promise.allSettled([
    deps.db.ping(timeoutMs),
    deps.queue.ping(timeoutMs),
    deps.pubsub.ping(timeoutMs),
  ]);
  const dbOk = db.status === "fulfilled";
  const queueOk = queue.status === "fulfilled" && pubsub.status === "fulfilled";
  const report: HealthReport = {
    status: dbOk && queueOk ? "ok" : "unavailable",
    db: dbOk ? "ok" : "unavailable",
    queue: queueOk ? deps.queue.kind : "unavailable",
  };
  if (!dbOk || !queueOk) {
    report.errors = {};
    if (!dbOk) report.errors.db = message(db);
    if (!queueOk) report.errors.queue = message(queue) ?? message(pubsub);
  }
  return report;
}

export function healthRoutes(deps: HealthDeps) {
  const app = new Hono();
  app.get("/health", async (c) => {
    c.header("Cache-Control", "no-store");
    if (deps.draining?.()) {
      return c.json({ status: "draining", message: "shutting down; send new requests elsewhere" }, 503);
    }
    const report = await checkHealth(deps);
    return c.json(report, report.status === "ok" ? 200 : 503);
  });
  app.get("/version", async (c) => c.json(await readVersion()));
  return app;
}
