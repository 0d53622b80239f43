// docker-compose.yml cannot run here (no Docker engine); this keeps it structurally correct.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkExposure, parseConfig } from "../../src/config/env.ts";

const root = new URL("../../../", import.meta.url);
const compose = parse(readFileSync(new URL("docker-compose.yml", root), "utf8"), { merge: true });

describe("docker-compose.yml", () => {
  it("defines postgres, redis, server and worker with health checks", () => {
    const always = Object.keys(compose.services).filter((n) => !compose.services[n].profiles);
    expect(always.sort()).toEqual(["postgres", "redis", "server", "worker"]);
    for (const name of ["postgres", "redis", "server"]) {
      expect(compose.services[name].healthcheck?.test, `${name} healthcheck`).toBeTruthy();
    }
  });

  it("persists data in named volumes", () => {
    expect(compose.services.postgres.volumes).toContain("postgres-data:/var/lib/postgresql/data");
    expect(compose.services.redis.volumes).toContain("redis-data:/data");
    expect(Object.keys(compose.volumes).sort()).toEqual(["postgres-data", "redis-data"]);
  });

  it("runs server and worker in server mode with a valid configuration", () => {
    for (const name of ["server", "worker"]) {
      const svc = compose.services[name];
      expect(svc.build).toBe(".");
      expect(svc.depends_on.postgres.condition).toBe("service_healthy");
      expect(svc.depends_on.redis.condition).toBe("service_healthy");
      const env = Object.fromEntries(
        Object.entries(svc.environment as Record<string, string>).map(([k, v]) => [
          k,
          String(v)
            .replace(/\$\{FLOWTRACE_SECRET_KEY:\?[^}]+\}/g, Buffer.alloc(32, 1).toString("base64"))
            .replace(/\$\{[^}]+\}/g, ""),
        ]),
      );
      const config = parseConfig(env);
      expect(config.mode).toBe("server");
      expect(new URL(config.databaseUrl ?? "").hostname).toBe("postgres");
      expect(new URL(config.redisUrl ?? "").hostname).toBe("redis");
    }
    expect(compose.services.server.command).toEqual(["npm", "start"]);
    expect(compose.services.worker.command).toEqual(["npm", "run", "worker"]);
    expect(compose.services.server.environment.HOST).toBe("0.0.0.0");
    // Bound beyond loopback, the server needs a token: compose refuses to start without one, and so would the server.
    expect(compose.services.server.environment.FLOWTRACE_API_TOKEN).toMatch(/^\$\{FLOWTRACE_API_TOKEN:\?/);
    // Secrets are encrypted under a key compose requires, as the server does in server mode.
    expect(compose.services.server.environment.FLOWTRACE_SECRET_KEY).toMatch(/^\$\{FLOWTRACE_SECRET_KEY:\?/);
    expect(() =>
      checkExposure({
        host: "0.0.0.0",
        apiToken: null,
        auth: { required: false, oidc: null, smtp: null, sessionDays: 30 },
      }),
    ).toThrow(/set FLOWTRACE_API_TOKEN/);
    expect(() =>
      checkExposure({
        host: "0.0.0.0",
        apiToken: "x".repeat(16),
        auth: { required: true, oidc: null, smtp: null, sessionDays: 30 },
      }),
    ).not.toThrow();
  });

  it("has an optional observability profile: a Collector to Jaeger, Prometheus scraping server and workers", () => {
    for (const name of ["otel-collector", "jaeger", "prometheus"]) {
      expect(compose.services[name].profiles, name).toEqual(["observability"]);
      for (const volume of compose.services[name].volumes ?? []) {
        const file = String(volume).split(":")[0] as string;
        expect(() => readFileSync(new URL(file, root)), file).not.toThrow();
      }
    }
    const collector = parse(readFileSync(new URL("deploy/observability/otel-collector.yaml", root), "utf8"));
    expect(collector.service.pipelines.traces.exporters).toEqual(["otlp/jaeger"]);
    const prometheus = parse(readFileSync(new URL("deploy/observability/prometheus.yml", root), "utf8"));
    expect(prometheus.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual([
      "flowtrace-server",
      "flowtrace-workers",
    ]);
    expect(compose.services.worker.environment.FLOWTRACE_METRICS_PORT).toBe("9464");
  });

  it("has a Dockerfile that the build context uses", () => {
    const dockerfile = readFileSync(new URL("Dockerfile", root), "utf8");
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/npm ci/);
  });
});
