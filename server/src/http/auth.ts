/** Bearer-token guard (FLOWTRACE_API_TOKEN), compared in constant time. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { errorBody } from "../rest/error-body.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

export function tokenMatches(expected: string, header: string | undefined): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  // Hash both sides so the comparison takes the same time whatever the lengths.
  return m !== null && timingSafeEqual(digest(m[1] ?? ""), digest(expected));
}

export function requireToken(expected: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    if (!tokenMatches(expected, c.req.header("authorization"))) {
      c.header("WWW-Authenticate", 'Bearer realm="flowtrace"');
      return c.json(
        errorBody("unauthorized", "missing or wrong API token: send Authorization: Bearer <FLOWTRACE_API_TOKEN>"),
        401,
      );
    }
    return next();
  };
}
