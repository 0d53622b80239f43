/**
 * A project's people over REST (admins and owners; another project is 404):
 * - `GET /api/projects/:projectId/members` → `{items: [{user_id, email, name, role, joined_at}]}`;
 * - `PUT /api/projects/:projectId/members/:userId {role}` → the member; `DELETE …` → 204;
 * - `POST /api/projects/:projectId/invitations {role, email?}` → 201 with the link (shown once, mailed
 *   when SMTP is configured); `GET …/invitations` → `{items}`; `DELETE …/invitations/:id` → 204.
 */
import { createInvitationBody, memberRoleBody } from "@flowtrace/contract/access";
import type { Hono } from "hono";
import type { PrismaClient } from "../db/prisma.ts";
import { callerName, requestScope } from "../http/caller.ts";
import { createInvitation, listInvitations, type Mailer, revokeInvitation } from "../services/invitations.ts";
import { changeRole, listMembers, removeMember } from "../services/members.ts";
import { managedProject } from "./projects.ts";
import { body, idParam } from "./request.ts";

export interface MemberDeps {
  prisma: PrismaClient;
  /** Where invitation links point, and the mail server that sends them (null: links only). */
  invitations?: { publicUrl: string; mailer: Mailer | null };
}

export function memberRoutes(app: Hono, deps: MemberDeps): void {
  const project = (c: Parameters<typeof managedProject>[2]) => managedProject(deps.prisma, requestScope().caller, c);
  app.get("/projects/:projectId/members", async (c) =>
    c.json({ items: await listMembers(deps.prisma, (await project(c)).id) }),
  );
  app.put("/projects/:projectId/members/:userId", async (c) => {
    const { id } = await project(c);
    const { role } = await body(c.req.raw, memberRoleBody);
    return c.json(await changeRole(deps.prisma, id, idParam(c, "userId", "member"), role));
  });
  app.delete("/projects/:projectId/members/:userId", async (c) => {
    const { id } = await project(c);
    await removeMember(deps.prisma, id, idParam(c, "userId", "member"));
    return c.body(null, 204);
  });
  invitationRoutes(app, deps, project);
}

function invitationRoutes(
  app: Hono,
  deps: MemberDeps,
  project: (c: Parameters<typeof managedProject>[2]) => ReturnType<typeof managedProject>,
) {
  app.post("/projects/:projectId/invitations", async (c) => {
    const { id, name } = await project(c);
    const b = await body(c.req.raw, createInvitationBody);
    const delivery = deps.invitations ?? { publicUrl: new URL(c.req.url).origin, mailer: null };
    const input = {
      projectId: id,
      projectName: name,
      role: b.role,
      email: b.email,
      createdBy: callerName(requestScope().caller),
    };
    return c.json(await createInvitation(deps.prisma, input, delivery), 201);
  });
  app.get("/projects/:projectId/invitations", async (c) =>
    c.json({ items: await listInvitations(deps.prisma, (await project(c)).id) }),
  );
  app.delete("/projects/:projectId/invitations/:invitationId", async (c) => {
    const { id } = await project(c);
    await revokeInvitation(deps.prisma, id, idParam(c, "invitationId", "invitation"));
    return c.body(null, 204);
  });
}
