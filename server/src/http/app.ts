/**
 * The HTTP surface: one Hono app that mounts the transports (REST/SSE routes, GraphQL) and serves
 * the built dashboard. Transports stay thin; this file only composes them.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { YogaServerInstance } from "graphql-yoga";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import type { Registry } from "prom-client";
import type { Logger } from "../observability/logger.ts";
import { type ApiDeps, apiRoutes } from "../rest/api.ts";
import { type AuthDeps, authRoutes } from "../rest/auth.ts";
import { errorBody, mapError, respondWithError } from "../rest/error-body.ts";
import { type HealthDeps, healthRoutes } from "../rest/health.ts";
import { bodyLimit } from "./body-limit.ts";
import { authorizeRest, identify, perRequest, requestScope } from "./caller.ts";
import { answerMcp, type McpEndpointDeps } from "./mcp-endpoint.ts";
import { metricsRoutes } from "./metrics.ts";
import { corsGuard, hostGuard, unsafeRequestGuard, type WebPolicy } from "./request-guards.ts";

/** The body limit of dataset routes (imports). */
export const DATASET_MAX_BODY_BYTES = 20 * 1024 * 1024;

import type { InflightRequests } from "./inflight.ts";

export const CLIENT_DIST = fileURLToPath(new URL("../../../client/dist", import.meta.url));
export const DEMO_ASSETS = fileURLToPath(new URL("../../assets/demo", import.meta.url));

export type AppEnv = { Variables: { requestId: string } };

export interface HttpDeps extends HealthDeps {
  logger: Logger;
  api: ApiDeps;
  /** FLOWTRACE_API_TOKEN: when set, /api/* and /graphql* need `Authorization: Bearer <token>` (http/caller.ts). */
  apiToken: string | null;
  /** Signing people in: sessions, single sign-on, the sign-in rate limit (rest/auth.ts). */
  people: Omit<AuthDeps, "prisma" | "apiToken">;
  /** Which browsers and Host names the server answers (http/request-guards.ts). */
  web: WebPolicy;
  // biome-ignore lint/suspicious/noExplicitAny: yoga's server/user context generics are not needed here
  yoga: YogaServerInstance<any, any>;
  /** Maximum request body in bytes. */
  maxBodyBytes?: number;
  clientDist?: string;
  /** Tracks requests being answered, for graceful shutdown. */
  inflight?: InflightRequests;
  /** POST /mcp: workflows as MCP tools (where run links point, how long a call waits). */
  mcpEndpoint: Pick<McpEndpointDeps, "publicUrl" | "waitMs">;
  /** Prometheus metrics at /metrics (with FLOWTRACE_METRICS_TOKEN when set). */
  metrics?: { registry: Registry; token: string | null };
}

/** One log line per request: id, method, path, status and time. */
function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const url = new URL(c.req.url);
    logger.info(
      { reqId: c.get("requestId"), method: c.req.method, path: url.pathname, status: c.res.status, ms },
      "request",
    );
  };
}

/** Documents the demo workflows fetch, so the demo works offline. */
async function demoDocument(c: Context) {
  const file = c.req.param("file") ?? "";
  if (!/^[a-z0-9_-]+\.(txt|csv)$/.test(file)) return c.json(errorBody("not_found", "no such demo document"), 404);
  try {
    const body = await readFile(path.join(DEMO_ASSETS, file), "utf8");
    return c.text(body, 200, {
      "content-type": file.endsWith(".csv") ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8",
    });
  } catch {
    return c.json(errorBody("not_found", "no such demo document"), 404);
  }
}

/** The built dashboard (a single-page app: unknown paths get index.html), or a note that it is not built. */
function serveDashboard(app: Hono<AppEnv>, clientDist: string) {
  if (existsSync(clientDist)) {
    const root = path.relative(process.cwd(), clientDist) || ".";
    app.use("/*", serveStatic({ root }));
    app.get("*", serveStatic({ root, path: "index.html" }));
    return;
  }
  app.get("/", (c) =>
    c.text(
      "FlowTrace API is running, but the dashboard is not built. Run `npm run build`, or `npm run dev` for the Vite dev server.\n",
    ),
  );
}

export function createHttpApp(deps: HttpDeps) {
  const app = new Hono<AppEnv>();

  app.use(requestId());
  if (deps.inflight) app.use(deps.inflight.middleware());
  app.use(requestLog(deps.logger));
  if (deps.web.allowedHosts) app.use(hostGuard(deps.web.allowedHosts));
  if (deps.web.corsOrigins.length > 0) {
    const corsOnly = corsGuard(deps.web.corsOrigins);
    for (const path of ["/api/*", "/graphql", "/graphql/*"]) app.use(path, corsOnly);
  }
  // Dataset imports (a CSV or JSON Lines file, up to 10,000 items) may be larger than any other body.
  const datasetLimit = bodyLimit(Math.max(DATASET_MAX_BODY_BYTES, deps.maxBodyBytes ?? 0));
  const defaultLimit = bodyLimit(deps.maxBodyBytes);
  app.use((c, next) => (c.req.path.startsWith("/api/datasets") ? datasetLimit(c, next) : defaultLimit(c, next)));

  app.route("/", healthRoutes(deps));
  if (deps.metrics) app.route("/", metricsRoutes(deps.metrics.registry, deps.metrics.token));

  // Signing in comes before identifying a caller (it is how one becomes one).
  app.use("/api/auth/*", unsafeRequestGuard(deps.web.corsOrigins));
  app.route("/api/auth", authRoutes({ ...deps.people, prisma: deps.api.prisma, apiToken: deps.apiToken }));
  const identifyCaller = identify({
    apiToken: deps.apiToken,
    authRequired: deps.people.auth.required,
    sessionDays: deps.people.auth.sessionDays,
    prisma: deps.api.prisma,
  });
  for (const path of ["/api/*", "/graphql", "/graphql/*", "/mcp"]) app.use(path, identifyCaller);
  app.use("/api/*", authorizeRest);
  app.use("/mcp", authorizeRest);
  // After the token: a request without credentials hears 401 first.
  app.use(unsafeRequestGuard(deps.web.corsOrigins));
  app.on(["GET", "POST", "OPTIONS"], ["/graphql", "/graphql/*"], async (c) => {
    const outcome: { status?: number } = {};
    const res = await deps.yoga.fetch(c.req.raw, {
      requestId: c.get("requestId"),
      outcome,
      ...(c.req.method === "OPTIONS" ? {} : { scope: requestScope() }),
    });
    return graphqlErrorsAsJson(withStatus(res, outcome.status));
  });
  app.route("/api", apiRoutes(perRequest(deps.api)));
  const mcp = perRequest({ ...deps.api, ...deps.mcpEndpoint });
  app.on(["GET", "POST", "DELETE"], "/mcp", (c) => answerMcp(mcp, c.req.raw));
  app.get("/demo/:file", demoDocument);
  serveDashboard(app, deps.clientDist ?? CLIENT_DIST);

  app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(respondWithErrorAt(deps.logger));
  return app;
}

const GRAPHQL_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  402: "BUDGET_EXCEEDED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  422: "BAD_USER_INPUT",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  503: "SERVICE_UNAVAILABLE",
};

/**
 * Errors before GraphQL runs (finding the caller's project while the database is away, say) answer
 * GraphQL clients in GraphQL's shape; every other path gets the REST error body.
 */
function respondWithErrorAt(logger: Logger) {
  const rest = respondWithError(logger);
  return (error: Error, c: Context) => {
    const res = rest(error, c);
    if (!c.req.path.startsWith("/graphql")) return res;
    const mapped = mapError(error);
    const code = GRAPHQL_CODES[mapped.status] ?? "INTERNAL_SERVER_ERROR";
    return c.json({ errors: [{ message: mapped.body.error.message, extensions: { code } }] }, mapped.status);
  };
}

const BARE_GRAPHQL_ERRORS: Record<number, string> = {
  405: "method not allowed: use GET for queries or POST for any operation",
  406: "not acceptable: accept application/graphql-response+json, application/json or text/event-stream",
  415: "unsupported media type: send the request as application/json (or application/graphql+json)",
};

/** Yoga answers a few protocol errors with an empty body; clients always get GraphQL-shaped JSON. */
/** A GraphQL answer with the status a plugin asked for (403 for a refused scope), its body unchanged. */
function withStatus(res: Response, status: number | undefined): Response {
  if (status === undefined || res.status !== 200 || /event-stream/i.test(res.headers.get("content-type") ?? "")) {
    return res;
  }
  return new Response(res.body, { status, headers: res.headers });
}

async function graphqlErrorsAsJson(res: Response): Promise<Response> {
  if (res.status < 400 || /json|event-stream/i.test(res.headers.get("content-type") ?? "")) return res;
  const text = (await res.text()).trim();
  const message = BARE_GRAPHQL_ERRORS[res.status] ?? (text.slice(0, 500) || `request refused (${res.status})`);
  const headers = new Headers(res.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.delete("content-length");
  return new Response(JSON.stringify({ errors: [{ message }] }), { status: res.status, headers });
}
