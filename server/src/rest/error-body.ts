/**
 * The one JSON error shape of every HTTP route, `{error: {code, message, ...}}`, and the one mapping
 * from what a route (or the HTTP layer around it) throws to its status: expected errors are 4xx
 * naming the problem, an unavailable dependency is 503 with Retry-After, anything else is a bug (500).
 */
import type { Context } from "hono";
import { isDatabaseUnavailable } from "../db/errors.ts";
import type { Logger } from "../observability/logger.ts";
import { QueueUnavailableError } from "../queue/queue.ts";
import {
  ConflictError,
  InvalidRequestError,
  InvalidWorkflowError,
  NotFoundError,
  RefusedError,
  UpstreamError,
} from "../services/errors.ts";
import { BadRequest } from "./request.ts";

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

interface Mapped {
  status: 400 | 401 | 402 | 403 | 404 | 409 | 422 | 429 | 500 | 502 | 503;
  /** Seconds a 429 asks the caller to wait. */
  retryAfter?: number;
  body: ReturnType<typeof errorBody>;
  /** Logged as a warning (a dependency away), an error (a bug), or not at all (the caller's mistake). */
  log?: "warn" | "error";
}

const unavailable = (what: string, extra = ""): Mapped => ({
  status: 503,
  body: errorBody("unavailable", `the ${what} is unavailable;${extra} try again shortly`),
  log: "warn",
});

export function mapError(error: unknown, requestId?: string): Mapped {
  if (error instanceof BadRequest) {
    return { status: 400, body: errorBody("bad_request", error.message, error.issues ? { issues: error.issues } : {}) };
  }
  if (error instanceof RefusedError) {
    return {
      status: error.status,
      body: errorBody(error.code, error.message),
      ...(error.retryAfterSeconds ? { retryAfter: error.retryAfterSeconds } : {}),
    };
  }
  if (error instanceof NotFoundError) return { status: 404, body: errorBody("not_found", error.message) };
  if (error instanceof ConflictError) return { status: 409, body: errorBody("conflict", error.message) };
  if (error instanceof UpstreamError) return { status: 502, body: errorBody("upstream_failed", error.message) };
  if (error instanceof InvalidRequestError) {
    return { status: 422, body: errorBody("invalid_request", error.message, { issues: error.issues }) };
  }
  if (error instanceof InvalidWorkflowError) {
    return { status: 422, body: errorBody("invalid_workflow", "the workflow is invalid", { issues: error.issues }) };
  }
  if (isDatabaseUnavailable(error)) return unavailable("database");
  if (error instanceof QueueUnavailableError) return unavailable("job queue", " the run was not started;");
  const extra = requestId ? { requestId } : {};
  return { status: 500, body: errorBody("internal", "internal server error", extra), log: "error" };
}

/** A Hono error handler on `mapError`. */
export function respondWithError(logger: Logger) {
  return (error: Error, c: Context) => {
    const requestId = (c.get as (key: string) => unknown)("requestId") as string | undefined;
    const mapped = mapError(error, requestId);
    if (mapped.log === "warn") logger.warn({ reqId: requestId, err: error.message }, mapped.body.error.message);
    if (mapped.log === "error") logger.error({ reqId: requestId, err: error }, "unhandled error");
    if (mapped.status === 503) c.header("Retry-After", "2");
    if (mapped.retryAfter) c.header("Retry-After", String(mapped.retryAfter));
    if (mapped.status === 401) c.header("WWW-Authenticate", 'Bearer realm="flowtrace"');
    return c.json(mapped.body, mapped.status);
  };
}
