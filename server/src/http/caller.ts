/**
 * Who is calling, and in which project. Every `/api/*` and `/graphql*` request is identified once,
 * here, and then acts inside one project:
 *
 * - no credentials configured (the local default, loopback only): the local owner;
 * - `Authorization: Bearer <FLOWTRACE_API_TOKEN>`: the instance administrator;
 * - both act in the project named by `X-FlowTrace-Project` (an id or a name), `default` without it.
 *
 * A missing or wrong credential is 401; a project that does not exist is 404. The request's
 * services see only that project (db/project-scope.ts): REST handlers through `requestScope`
 * (AsyncLocalStorage, so the route modules keep one services object), GraphQL through its context.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Context, MiddlewareHandler } from "hono";
import type { PrismaClient } from "../db/prisma.ts";
import { projectScopedClient } from "../db/project-scope.ts";
import { errorBody } from "../rest/error-body.ts";
import { DEFAULT_PROJECT, findProject } from "../services/projects.ts";
import { tokenMatches } from "./auth.ts";

export type CallerKind = "local" | "instance";

export interface Caller {
  kind: CallerKind;
  /** The project the request acts in. */
  projectId: string;
  projectName: string;
}

export const PROJECT_HEADER = "x-flowtrace-project";

const scope = new AsyncLocalStorage<{ caller: Caller; prisma: PrismaClient }>();

/** The current request's caller and project-scoped client (REST handlers). */
export function requestScope(): { caller: Caller; prisma: PrismaClient } {
  const current = scope.getStore();
  if (!current) throw new Error("no caller: this code runs outside an identified request");
  return current;
}

function refuse(c: Context) {
  c.header("WWW-Authenticate", 'Bearer realm="flowtrace"');
  return c.json(
    errorBody("unauthorized", "missing or wrong API token: send Authorization: Bearer <FLOWTRACE_API_TOKEN>"),
    401,
  );
}

/** The kind of caller the Authorization header proves, or null when it proves nothing. */
function callerKind(apiToken: string | null, authorization: string | undefined): CallerKind | null {
  if (apiToken === null) return "local";
  return tokenMatches(apiToken, authorization) ? "instance" : null;
}

export function identify(options: { apiToken: string | null; prisma: PrismaClient }): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    const kind = callerKind(options.apiToken, c.req.header("authorization"));
    if (kind === null) return refuse(c);
    const project = await findProject(options.prisma, c.req.header(PROJECT_HEADER)?.trim() || DEFAULT_PROJECT);
    const caller: Caller = { kind, projectId: project.id, projectName: project.name };
    c.set("caller" as never, caller as never);
    return scope.run({ caller, prisma: projectScopedClient(options.prisma, project.id) }, () => next());
  };
}

/**
 * `services` whose `prisma` is, at each use, the current request's project-scoped client: what the
 * REST routes are given. Used outside an identified request it throws (never an unscoped read).
 */
export function perRequest<T extends { prisma: PrismaClient }>(services: T): T {
  const scoped = { ...services };
  Object.defineProperty(scoped, "prisma", { get: () => requestScope().prisma, enumerable: true });
  return scoped;
}

/** The caller an identified request carries (for GraphQL's context). */
export function callerOf(c: Context): Caller {
  return c.get("caller" as never) as Caller;
}
