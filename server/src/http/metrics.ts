/** `GET /metrics`: the process's Prometheus metrics, behind FLOWTRACE_METRICS_TOKEN when set. */
import { Hono } from "hono";
import type { Registry } from "prom-client";
import { errorBody } from "../rest/error-body.ts";
import { tokenMatches } from "./auth.ts";

export function metricsRoutes(registry: Registry, token: string | null): Hono {
  const app = new Hono();
  app.get("/metrics", async (c) => {
    if (token && !tokenMatches(token, c.req.header("authorization"))) {
      c.header("WWW-Authenticate", 'Bearer realm="flowtrace-metrics"');
      return c.json(
        errorBody(
          "unauthorized",
          "missing or wrong metrics token: send Authorization: Bearer <FLOWTRACE_METRICS_TOKEN>",
        ),
        401,
      );
    }
    return c.body(await registry.metrics(), 200, { "content-type": registry.contentType });
  });
  return app;
}
