/**
 * Projects over REST: `POST /api/projects {name}` → 201 `{id, name, created_at}` and
 * `GET /api/projects` → `{items}`, for the instance administrator (FLOWTRACE_API_TOKEN) and the
 * local owner (no credentials configured), who may act in any project (`X-FlowTrace-Project`).
 */
import type { Hono } from "hono";
import { z } from "zod";
import type { PrismaClient } from "../db/prisma.ts";
import { createProject, listProjects, projectJson } from "../services/projects.ts";
import { body } from "./request.ts";

const createBody = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { message: "expected a name" })
    .max(100)
    .regex(/^[^\s/][^/]*$/, { message: "expected a name without slashes" }),
});

export function projectRoutes(app: Hono, deps: { prisma: PrismaClient }): void {
  app.post("/projects", async (c) => {
    const b = await body(c.req.raw, createBody);
    return c.json(projectJson(await createProject(deps.prisma, b.name)), 201);
  });
  app.get("/projects", async (c) => c.json({ items: (await listProjects(deps.prisma)).map(projectJson) }));
}
