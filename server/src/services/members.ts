/**
 * A project's members and their roles. Owners may do everything (and grant `owner`); admins manage
 * members, keys and settings but cannot make or unmake owners; a project always keeps an owner.
 */
import type { Member, Role } from "@flowtrace/contract/access";
import type { PrismaClient } from "../db/prisma.ts";
import type { Uuid } from "../domain/ids.ts";
import { audit } from "./audit.ts";
import { ConflictError, NotFoundError, RefusedError } from "./errors.ts";
import { currentCaller } from "./request-context.ts";

/** The current caller's role: people have theirs; the local owner and the administrator are owners. */
function actingRole(): Role | null {
  const caller = currentCaller();
  if (!caller) return "owner";
  if (caller.kind === "user") return caller.role;
  return caller.kind === "api_key" ? null : "owner";
}

/** Only owners grant, change or remove `owner`. */
export function assertMayGrant(role: Role): void {
  if (role === "owner" && actingRole() !== "owner") {
    throw new RefusedError(403, "forbidden", "only an owner may grant or change the owner role");
  }
}

export async function listMembers(prisma: PrismaClient, projectId: string): Promise<Member[]> {
  const rows = await prisma.membership.findMany({
    where: { projectId },
    include: { user: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({
    user_id: m.userId,
    email: m.user.email,
    name: m.user.name,
    role: m.role as Role,
    joined_at: m.createdAt.toISOString(),
  }));
}

async function membership(prisma: PrismaClient, projectId: string, userId: Uuid) {
  const row = await prisma.membership.findUnique({ where: { projectId_userId: { projectId, userId } } });
  if (!row) throw new NotFoundError(`member ${userId} does not exist`);
  return row;
}

async function assertKeepsAnOwner(prisma: PrismaClient, projectId: string) {
  if ((await prisma.membership.count({ where: { projectId, role: "owner" } })) === 0) {
    throw new ConflictError("a project keeps at least one owner: make someone else owner first");
  }
}

export async function changeRole(prisma: PrismaClient, projectId: string, userId: Uuid, role: Role): Promise<Member> {
  const current = await membership(prisma, projectId, userId);
  assertMayGrant(role);
  assertMayGrant(current.role as Role);
  await prisma.$transaction(async (tx) => {
    await tx.membership.update({ where: { projectId_userId: { projectId, userId } }, data: { role } });
    if (current.role === "owner") await assertKeepsAnOwner(tx as unknown as PrismaClient, projectId);
  });
  const details = { from: current.role, to: role };
  await audit(prisma, { action: "member.role_change", targetType: "user", targetId: userId, details }, projectId);
  const members = await listMembers(prisma, projectId);
  return members.find((m) => m.user_id === userId) as Member;
}

export async function removeMember(prisma: PrismaClient, projectId: string, userId: Uuid): Promise<void> {
  const current = await membership(prisma, projectId, userId);
  assertMayGrant(current.role as Role);
  await prisma.$transaction(async (tx) => {
    await tx.membership.delete({ where: { projectId_userId: { projectId, userId } } });
    if (current.role === "owner") await assertKeepsAnOwner(tx as unknown as PrismaClient, projectId);
  });
  const details = { role: current.role };
  await audit(prisma, { action: "member.remove", targetType: "user", targetId: userId, details }, projectId);
}

/** The projects a person belongs to, with their role in each. */
export async function projectsOf(prisma: PrismaClient, userId: string) {
  const rows = await prisma.membership.findMany({
    where: { userId },
    include: { project: true },
    orderBy: { project: { createdAt: "asc" } },
  });
  return rows.map((m) => ({ id: m.project.id, name: m.project.name, role: m.role as Role }));
}
