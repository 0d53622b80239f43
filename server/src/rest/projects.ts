/**
 * Projects and their API keys over REST:
 * - `POST /api/projects {name}` → 201 `{id, name, created_at}` (the instance administrator);
 * - `GET /api/projects` → `{items}`: every project for the local owner and the administrator, its
 *   own for an API key;
 * - `POST /api/projects/:projectId/api-keys {name, scopes, expires_at?}` → 201 with the key (shown
 *   once), `GET …/api-keys` → `{items}` without keys, `DELETE …/api-keys/:keyId` → 204 (an `admin`
 *   key for its own project; the administrator and local owner for any). Another project is 404.
 * - `GET /api/projects/:projectId/audit-log?cursor=&limit=` → `{items, next_cursor}`, newest first
 *   (the same callers as the keys).
 */
import { createApiKeyBody, projectBody } from "@flowtrace/contract/access";
import type { Hono } from "hono";
import { z } from "zod";
import type { PrismaClient } from "../db/prisma.ts";
import { parseUuid } from "../domain/ids.ts";
import { type Caller, callerName, requestScope } from "../http/caller.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../services/api-keys.ts";
import { listAudit } from "../services/audit.ts";
import { NotFoundError } from "../services/errors.ts";
import { projectsOf } from "../services/members.ts";
import {
  createProject,
  deleteProject,
  findProject,
  listProjects,
  projectJson,
  renameProject,
} from "../services/projects.ts";
import { BadRequest, body, idParam, type ParamSource, query } from "./request.ts";

/**
 * The project in the path, if this caller may manage it (NotFoundError otherwise: never 403). A key
 * or a person acts in one project per request (the X-FlowTrace-Project header picks a person's).
 */
export async function managedProject(prisma: PrismaClient, caller: Caller, c: ParamSource) {
  const id = idParam(c, "projectId", "project");
  if ((caller.kind === "api_key" || caller.kind === "user") && caller.projectId !== id) {
    throw new NotFoundError(`project ${id} does not exist`);
  }
  return findProject(prisma, id);
}

/** The projects a caller may see: its key's, a person's memberships, every one for the administrator. */
async function visibleProjects(prisma: PrismaClient, caller: Caller) {
  if (caller.kind === "api_key") return [projectJson(await findProject(prisma, caller.projectId))];
  const all = (await listProjects(prisma)).map(projectJson);
  if (caller.kind !== "user") return all;
  const roles = new Map((await projectsOf(prisma, caller.userId)).map((p) => [p.id, p.role]));
  return all.filter((p) => roles.has(p.id)).map((p) => ({ ...p, role: roles.get(p.id) }));
}

export function projectRoutes(app: Hono, deps: { prisma: PrismaClient }): void {
  app.post("/projects", async (c) => {
    const b = await body(c.req.raw, projectBody);
    return c.json(projectJson(await createProject(deps.prisma, b.name)), 201);
  });
  app.get("/projects", async (c) => c.json({ items: await visibleProjects(deps.prisma, requestScope().caller) }));
  app.put("/projects/:projectId", async (c) => {
    const project = await managedProject(deps.prisma, requestScope().caller, c);
    const b = await body(c.req.raw, projectBody);
    return c.json(projectJson(await renameProject(deps.prisma, project.id, b.name)));
  });
  app.delete("/projects/:projectId", async (c) => {
    const project = await managedProject(deps.prisma, requestScope().caller, c);
    await deleteProject(deps.prisma, project.id);
    return c.body(null, 204);
  });
  keyRoutes(app, deps);
  app.get("/projects/:projectId/audit-log", async (c) => {
    const project = await managedProject(deps.prisma, requestScope().caller, c);
    return c.json(await listAudit(deps.prisma, project.id, query(c, auditPage)));
  });
}

const auditPage = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const id = parseUuid(v);
      if (!id) ctx.addIssue({ code: "custom", message: "expected the next_cursor of a previous page" });
      return id ?? undefined;
    }),
});

function keyRoutes(app: Hono, deps: { prisma: PrismaClient }): void {
  app.post("/projects/:projectId/api-keys", async (c) => {
    const { caller } = requestScope();
    const project = await managedProject(deps.prisma, caller, c);
    const b = await body(c.req.raw, createApiKeyBody);
    const expiresAt = b.expires_at ? new Date(b.expires_at) : null;
    if (expiresAt && expiresAt <= new Date()) {
      throw new BadRequest("invalid request body: expires_at: expected a time in the future", [
        { path: "expires_at", message: "expected a time in the future" },
      ]);
    }
    const input = { projectId: project.id, name: b.name, scopes: b.scopes, expiresAt, createdBy: callerName(caller) };
    return c.json(await createApiKey(deps.prisma, input), 201);
  });
  app.get("/projects/:projectId/api-keys", async (c) => {
    const project = await managedProject(deps.prisma, requestScope().caller, c);
    return c.json({ items: await listApiKeys(deps.prisma, project.id) });
  });
  app.delete("/projects/:projectId/api-keys/:keyId", async (c) => {
    const project = await managedProject(deps.prisma, requestScope().caller, c);
    await revokeApiKey(deps.prisma, project.id, idParam(c, "keyId", "API key"));
    return c.body(null, 204);
  });
}
