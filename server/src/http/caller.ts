/**
 * Who is calling, and in which project. Every `/api/*` and `/graphql*` request is identified once,
 * here, and then acts inside one project:
 *
 * - no credentials configured (the local default, loopback only): the local owner;
 * - `Authorization: Bearer <FLOWTRACE_API_TOKEN>`: the instance administrator;
 * - both act in the project named by `X-FlowTrace-Project` (an id or a name), `default` without it;
 * - `Authorization: Bearer ft_…`: a project API key, acting in its project with its scopes;
 * - the `flowtrace_session` cookie: a signed-in person, acting with their role in the project the
 *   header names (one they belong to), else `default` if they belong to it, else their first.
 *
 * A missing, unknown, revoked or expired credential is 401; a project that does not exist (or is
 * not the key's) is 404; a REST request the key's scopes do not cover is 403 naming the scope
 * (GraphQL checks its root fields the same way, graphql/access-plugin.ts). The request's
 * services see only that project (db/project-scope.ts): REST handlers through `requestScope`
 * (AsyncLocalStorage, so the route modules keep one services object), GraphQL through its context.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { PrismaClient } from "../db/prisma.ts";
import { projectScopedClient } from "../db/project-scope.ts";
import { errorBody } from "../rest/error-body.ts";
import { type Account, authenticateSession } from "../services/accounts.ts";
import { authenticateApiKey, KEY_PREFIX, type KeyHolder } from "../services/api-keys.ts";
import { NotFoundError } from "../services/errors.ts";
import { projectsOf } from "../services/members.ts";
import { DEFAULT_PROJECT, findProject } from "../services/projects.ts";
import { type Caller, requestScope, runInRequest } from "../services/request-context.ts";
import { allows, refusal, restNeed } from "./access.ts";
import { tokenMatches } from "./auth.ts";

export { type Caller, callerName, requestScope } from "../services/request-context.ts";

export const PROJECT_HEADER = "x-flowtrace-project";
export const SESSION_COOKIE = "flowtrace_session";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function refuse(c: Context, message: string) {
  c.header("WWW-Authenticate", 'Bearer realm="flowtrace"');
  return c.json(errorBody("unauthorized", message), 401);
}

const bearer = (header: string | undefined) => /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? null;

type Proof =
  | { kind: "local" | "instance" }
  | { kind: "api_key"; holder: KeyHolder }
  | { kind: "user"; user: Account; sessionId: string }
  | { refused: string };

const MISSING =
  "missing or wrong credentials: sign in, or send Authorization: Bearer <FLOWTRACE_API_TOKEN> or a project API key (ft_…)";

/** What the Authorization header (or else the session cookie) proves. */
async function prove(
  options: IdentifyOptions,
  authorization: string | undefined,
  session: string | undefined,
): Promise<Proof> {
  const token = bearer(authorization);
  if (token?.startsWith(KEY_PREFIX)) {
    const holder = await authenticateApiKey(options.prisma, token);
    return holder ? { kind: "api_key", holder } : { refused: "unknown, revoked or expired API key" };
  }
  if (token && options.apiToken !== null) {
    return tokenMatches(options.apiToken, authorization) ? { kind: "instance" } : { refused: MISSING };
  }
  if (session) {
    const found = await authenticateSession(options.prisma, session, options.sessionDays);
    if (found) return { kind: "user", user: found.user, sessionId: found.sessionId };
    if (options.authRequired) return { refused: "your session has ended: sign in again" };
  }
  return options.authRequired ? { refused: MISSING } : { kind: "local" };
}

/** A person's caller: the project asked for (one they belong to), else `default`, else their first. */
async function personIn(prisma: PrismaClient, proof: Extract<Proof, { kind: "user" }>, asked: string | undefined) {
  const projects = await projectsOf(prisma, proof.user.id);
  const project = asked
    ? projects.find((p) => p.id === asked || p.name === asked)
    : (projects.find((p) => p.name === DEFAULT_PROJECT) ?? projects[0]);
  if (!project) {
    throw new NotFoundError(
      asked ? `project ${asked} does not exist` : "you are not a member of any project: ask an admin for an invitation",
    );
  }
  const { user, sessionId } = proof;
  return {
    kind: "user",
    projectId: project.id,
    projectName: project.name,
    userId: user.id,
    userName: user.name,
    email: user.email,
    role: project.role,
    sessionId,
  } satisfies Caller;
}

/** The caller a proof and the project header make (NotFoundError for a project it may not see). */
async function callerFor(
  prisma: PrismaClient,
  proof: Exclude<Proof, { refused: string }>,
  asked: string | undefined,
): Promise<Caller> {
  if (proof.kind === "user") return personIn(prisma, proof, asked);
  if (proof.kind !== "api_key") {
    const project = await findProject(prisma, asked || DEFAULT_PROJECT);
    return { kind: proof.kind, projectId: project.id, projectName: project.name } satisfies Caller;
  }
  const project = await findProject(prisma, proof.holder.projectId);
  if (asked && asked !== project.id && asked !== project.name)
    throw new NotFoundError(`project ${asked} does not exist`);
  const { keyId, keyName, scopes } = proof.holder;
  return { kind: "api_key", projectId: project.id, projectName: project.name, keyId, keyName, scopes } satisfies Caller;
}

export interface IdentifyOptions {
  apiToken: string | null;
  /** Requests without credentials are refused (false: they act as the local owner). */
  authRequired: boolean;
  sessionDays: number;
  prisma: PrismaClient;
}

export function identify(options: IdentifyOptions): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    const proof: Proof = await prove(options, c.req.header("authorization"), getCookie(c, SESSION_COOKIE));
    if ("refused" in proof) return refuse(c, proof.refused);
    // A cookie rides along with any request the browser makes: changes must say where they come from
    // (request-guards.ts then refuses another site's origin).
    if (proof.kind === "user" && UNSAFE_METHODS.has(c.req.method) && !c.req.header("origin")) {
      return c.json(errorBody("forbidden_origin", "a signed-in change must carry an Origin header"), 403);
    }
    const caller = await callerFor(options.prisma, proof, c.req.header(PROJECT_HEADER)?.trim());
    c.set("caller" as never, caller as never);
    return runInRequest({ caller, prisma: projectScopedClient(options.prisma, caller.projectId) }, () => next());
  };
}

/**
 * REST: a request the caller's scopes do not cover is 403, naming the scope — after a project in the
 * path that is not the caller's answered 404 (a key or a person acts in one project per request).
 */
export const authorizeRest: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "OPTIONS") return next();
  const need = restNeed(c.req.method, c.req.path);
  const { caller } = requestScope();
  const inPath = /^\/api\/projects\/([^/]+)/.exec(c.req.path)?.[1];
  if (inPath && (caller.kind === "api_key" || caller.kind === "user") && inPath !== caller.projectId) {
    return c.json(errorBody("not_found", `project ${inPath} does not exist`), 404);
  }
  if (allows(caller, need)) return next();
  return c.json(errorBody("forbidden", refusal(caller, need)), 403);
};

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
