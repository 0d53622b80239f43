import { describe, expect, it } from "vitest";
import { checkHealth, healthRoutes } from "./health.ts";

const ok = async () => {};
const fail = (msg: string) => async () => {
  throw new Error(msg);
};

describe("health", () => {
  it("reports ok with the queue backend", async () => {
    const report = await checkHealth({
      db: { kind: "postgres", ping: ok },
      queue: { kind: "redis", ping: ok },
      pubsub: { kind: "redis", ping: ok },
    });
    expect(report).toEqual({ status: "ok", db: "ok", queue: "redis" });
  });

  it("answers 503 naming the failing part", async () => {
    const app = healthRoutes({
      db: { kind: "postgres", ping: ok },
      queue: { kind: "redis", ping: fail("Redis ping timed out after 2000 ms") },
      pubsub: { kind: "redis", ping: ok },
    });
    const res = await app.request("/health");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "unavailable",
      db: "ok",
      queue: "unavailable",
      errors: { queue: "Redis ping timed out after 2000 ms" },
    });
  });

  it("reports a database failure separately", async () => {
    const report = await checkHealth({
      db: { kind: "postgres", ping: fail("cannot reach PostgreSQL at postgresql://h/db (ECONNREFUSED)") },
      queue: { kind: "embedded", ping: ok },
      pubsub: { kind: "embedded", ping: ok },
    });
    expect(report.status).toBe("unavailable");
    expect(report.db).toBe("unavailable");
    expect(report.queue).toBe("embedded");
    expect(report.errors?.db).toMatch(/ECONNREFUSED/);
  });

  it("serves the version with a git sha or 'unknown'", async () => {
    const app = healthRoutes({
      db: { kind: "embedded", ping: ok },
      queue: { kind: "embedded", ping: ok },
      pubsub: { kind: "embedded", ping: ok },
    });
    const body = (await (await app.request("/version")).json()) as { version: string; gitSha: string };
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.gitSha).toMatch(/^([0-9a-f]{40}|unknown)$/);
  });
});
