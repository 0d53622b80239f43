/**
 * What keeps other websites out of a FlowTrace that a browser can reach — above all the default
 * local mode, which asks for no credentials:
 *
 * - **CORS** is off unless FLOWTRACE_CORS_ORIGINS lists origins (Hono's `cors` middleware answers
 *   them; GraphQL Yoga's own CORS, which reflects any origin, is turned off in graphql/yoga.ts).
 * - **Host**: without credentials, only loopback names, FLOWTRACE_PUBLIC_URL's host and
 *   FLOWTRACE_ALLOWED_HOSTS are answered, so a DNS-rebinding page cannot reach the API by name.
 * - **Unsafe requests** (POST, PUT, PATCH, DELETE) from a browser page of another origin are refused
 *   (403), and REST bodies must be JSON (CSV and JSON Lines on the dataset import route): a plain
 *   cross-site form or a `no-cors` fetch with `text/plain` gets 415, never a started run.
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { errorBody } from "../rest/error-body.ts";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;
const UPLOAD_TYPES = new Set(["text/csv", "application/x-ndjson", "application/jsonl", "application/json-lines"]);
const UPLOAD_ROUTE = /^\/api\/datasets\/[^/]+\/items$/;

export interface WebPolicy {
  /** Origins a browser page may call the API from (besides the server's own). */
  corsOrigins: readonly string[];
  /** Host names answered; null when every API request must carry credentials anyway. */
  allowedHosts: ReadonlySet<string> | null;
}

/** The policy of a server: Host names are only checked when requests need no credentials. */
export function webPolicy(options: {
  corsOrigins: readonly string[];
  allowedHosts: readonly string[];
  publicUrl: string;
  credentialsRequired: boolean;
}): WebPolicy {
  const hosts = new Set([...LOOPBACK_NAMES, ...options.allowedHosts, new URL(options.publicUrl).hostname]);
  return {
    corsOrigins: options.corsOrigins,
    allowedHosts: options.credentialsRequired ? null : new Set([...hosts].map(bareHost)),
  };
}

/** `[::1]` → `::1`, names lower-cased; the port is not part of it. */
const bareHost = (host: string) => host.replace(/^\[|\]$/g, "").toLowerCase();

/** The host name of a Host header (`localhost:3000`, `[::1]:3000`). */
function hostOf(header: string): string {
  const m = /^\[([^\]]+)\](:\d+)?$/.exec(header) ?? /^([^:]+)(:\d+)?$/.exec(header);
  return bareHost(m?.[1] ?? header);
}

export function hostGuard(allowed: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const host = hostOf(c.req.header("host") ?? "");
    if (allowed.has(host)) return next();
    return c.json(
      errorBody(
        "host_not_allowed",
        `this FlowTrace answers to ${[...allowed].join(", ")} while it asks for no credentials; add the name to FLOWTRACE_ALLOWED_HOSTS (or set FLOWTRACE_PUBLIC_URL), or set FLOWTRACE_API_TOKEN`,
      ),
      403,
    );
  };
}

/** CORS for the listed origins only; nothing (same-origin) when the list is empty. */
export function corsGuard(origins: readonly string[]): MiddlewareHandler {
  return cors({
    origin: (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: [
      "authorization",
      "content-type",
      "x-flowtrace-project",
      "x-flowtrace-actor",
      "traceparent",
      "tracestate",
      "last-event-id",
    ],
    exposeHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
}

/** Unsafe requests: a browser page of another origin is refused; REST bodies must be JSON (or an import's file). */
export function unsafeRequestGuard(trustedOrigins: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    if (origin && !sameOrigin(origin, c.req.header("host")) && !trustedOrigins.includes(origin)) {
      return c.json(
        errorBody("forbidden_origin", `requests from ${origin} are not allowed: list it in FLOWTRACE_CORS_ORIGINS`),
        403,
      );
    }
    if (
      c.req.path.startsWith("/api/") &&
      !acceptableBody(c.req.path, c.req.header("content-type"), hasBody(c.req.raw))
    ) {
      return c.json(
        errorBody(
          "unsupported_media_type",
          "send the request body as application/json (dataset imports also take text/csv or application/x-ndjson)",
        ),
        415,
      );
    }
    return next();
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  return URL.canParse(origin) && host !== undefined && new URL(origin).host === host.toLowerCase();
}

const hasBody = (req: Request) =>
  req.headers.has("transfer-encoding") || Number(req.headers.get("content-length") ?? "0") > 0;

function acceptableBody(path: string, contentType: string | undefined, body: boolean): boolean {
  if (contentType === undefined) return !body;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return JSON_TYPE.test(type) || (UPLOAD_ROUTE.test(path) && UPLOAD_TYPES.has(type));
}
