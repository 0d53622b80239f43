/**
 * Who is calling, and in which project. Every `/api/*` and `/graphql*` request is identified once,
 * here, and then acts inside one project:
 *
 * - no credentials configured (the local default, loopback only): the local owner;
 * - `Authorization: Bearer <FLOWTRACE_API_TOKEN>`: the instance administrator;
 * - both act in the project named by `X-FlowTrace-Project` (an id or a name), `default` without it;
 * - `Authorization: Bearer ft_…`: a project API key, acting in its project with its scopes.
 *
 * A missing, unknown, revoked or expired credential is 401; a project that does not exist (or is
 * not the key's) is 404; a REST request the key's scopes do not cover is 403 naming the scope
 * (GraphQL checks its root fields the same way, graphql/access-plugin.ts). The request's
 * services see only that project (db/project-scope.ts): REST handlers through `requestScope`
 * (AsyncLocalStorage, so the route modules keep one services object), GraphQL through its context.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { PrismaClient } from "../db/prisma.ts";
import { projectScopedClient } from "../db/project-scope.ts";
import { errorBody } from "../rest/error-body.ts";
import { authenticateApiKey, KEY_PREFIX, type KeyHolder } from "../services/api-keys.ts";
import { NotFoundError } from "../services/errors.ts";
import { DEFAULT_PROJECT, findProject } from "../services/projects.ts";
import { type Caller, requestScope, runInRequest } from "../services/request-context.ts";
import { allows, refusal, restNeed } from "./access.ts";
import { tokenMatches } from "./auth.ts";

export { type Caller, callerName, requestScope } from "../services/request-context.ts";

export const PROJECT_HEADER = "x-flowtrace-project";

function refuse(c: Context, message: string) {
  c.header("WWW-Authenticate", 'Bearer realm="flowtrace"');
  return c.json(errorBody("unauthorized", message), 401);
}

const bearer = (header: string | undefined) => /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? null;

type Proof = { kind: "local" | "instance" } | { kind: "api_key"; holder: KeyHolder } | { refused: string };

/** What the Authorization header proves. */
async function prove(options: IdentifyOptions, authorization: string | undefined): Promise<Proof> {
  const token = bearer(authorization);
  if (token?.startsWith(KEY_PREFIX)) {
    const holder = await authenticateApiKey(options.prisma, token);
    return holder ? { kind: "api_key", holder } : { refused: "unknown, revoked or expired API key" };
  }
  if (options.apiToken === null) return { kind: "local" };
  if (tokenMatches(options.apiToken, authorization)) return { kind: "instance" };
  return {
    refused:
      "missing or wrong credentials: send Authorization: Bearer <FLOWTRACE_API_TOKEN> or a project API key (ft_…)",
  };
}

/** The caller a proof and the project header make (NotFoundError for a project it may not see). */
async function callerFor(prisma: PrismaClient, proof: Exclude<Proof, { refused: string }>, asked: string | undefined) {
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

interface IdentifyOptions {
  apiToken: string | null;
  prisma: PrismaClient;
}

export function identify(options: IdentifyOptions): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    const proof = await prove(options, c.req.header("authorization"));
    if ("refused" in proof) return refuse(c, proof.refused);
    const caller = await callerFor(options.prisma, proof, c.req.header(PROJECT_HEADER)?.trim());
    c.set("caller" as never, caller as never);
    return runInRequest({ caller, prisma: projectScopedClient(options.prisma, caller.projectId) }, () => next());
  };
}

/** REST: a request the caller's scopes do not cover is 403, naming the scope. */
export const authorizeRest: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "OPTIONS") return next();
  const need = restNeed(c.req.method, c.req.path);
  if (allows(requestScope().caller, need)) return next();
  return c.json(errorBody("forbidden", refusal(need)), 403);
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
