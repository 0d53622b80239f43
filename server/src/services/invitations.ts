/**
 * Invitations by link: an admin invites someone to a project with a role; the link carries a random
 * token (stored only as its hash) and works for 7 days, once. It is mailed when SMTP is configured
 * and an email was given; otherwise the admin copies the link. Accepting it (signing up with it, or
 * signing in and opening it) makes the person a member with that role.
 */
import { createHash, randomBytes } from "node:crypto";
import type { CreatedInvitationJson, InvitationJson, Role } from "@flowtrace/contract/access";
import type { PrismaClient } from "../db/prisma.ts";
import type { Uuid } from "../domain/ids.ts";
import { audit, recordAudit } from "./audit.ts";
import { NotFoundError, RefusedError } from "./errors.ts";
import { assertMayGrant } from "./members.ts";

const VALID_MS = 7 * 86_400_000;
const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Sends an invitation; null when no mail server is configured. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

type Row = Awaited<ReturnType<PrismaClient["invitation"]["create"]>>;

export const invitationJson = (i: Row): InvitationJson => ({
  id: i.id,
  email: i.email,
  role: i.role as Role,
  created_by: i.createdBy,
  created_at: i.createdAt.toISOString(),
  expires_at: i.expiresAt.toISOString(),
  accepted_at: iso(i.acceptedAt),
  revoked_at: iso(i.revokedAt),
});

export async function createInvitation(
  prisma: PrismaClient,
  input: { projectId: string; projectName: string; role: Role; email?: string | undefined; createdBy: string },
  delivery: { publicUrl: string; mailer: Mailer | null },
): Promise<CreatedInvitationJson> {
  assertMayGrant(input.role);
  const token = randomBytes(24).toString("base64url");
  const row = await prisma.invitation.create({
    data: {
      projectId: input.projectId,
      email: input.email ?? null,
      role: input.role,
      tokenHash: hashOf(token),
      createdBy: input.createdBy,
      expiresAt: new Date(Date.now() + VALID_MS),
    },
  });
  const url = `${delivery.publicUrl}/invite/${token}`;
  const details = { role: input.role, email: input.email ?? null };
  await audit(
    prisma,
    { action: "member.invite", targetType: "invitation", targetId: row.id, details },
    input.projectId,
  );
  const emailed = await mail(delivery.mailer, input, url);
  return { ...invitationJson(row), url, emailed };
}

async function mail(
  mailer: Mailer | null,
  input: { email?: string | undefined; projectName: string; role: Role },
  url: string,
) {
  if (!mailer || !input.email) return false;
  await mailer.send({
    to: input.email,
    subject: `You are invited to ${input.projectName} on FlowTrace`,
    text: `You have been invited to the FlowTrace project ${input.projectName} as ${input.role}.\n\nAccept within 7 days: ${url}\n`,
  });
  return true;
}

export async function listInvitations(prisma: PrismaClient, projectId: string): Promise<InvitationJson[]> {
  const rows = await prisma.invitation.findMany({ where: { projectId }, orderBy: { createdAt: "desc" }, take: 500 });
  return rows.map(invitationJson);
}

export async function revokeInvitation(prisma: PrismaClient, projectId: string, id: Uuid): Promise<void> {
  const row = await prisma.invitation.findFirst({ where: { id, projectId } });
  if (!row) throw new NotFoundError(`invitation ${id} does not exist`);
  if (!row.revokedAt && !row.acceptedAt)
    await prisma.invitation.update({ where: { id }, data: { revokedAt: new Date() } });
}

/** An open invitation by its token (NotFoundError for an unknown, used, revoked or expired one). */
export async function openInvitation(prisma: PrismaClient, token: string) {
  const row = await prisma.invitation.findUnique({ where: { tokenHash: hashOf(token) }, include: { project: true } });
  if (!row || row.acceptedAt || row.revokedAt || row.expiresAt <= new Date()) {
    throw new NotFoundError("this invitation link is unknown, used, revoked or expired: ask for a new one");
  }
  return row;
}

/** Make the account a member with the invitation's role (inside the caller's transaction). */
export async function acceptInvitationIn(
  prisma: PrismaClient,
  token: string,
  user: { id: string; email: string },
): Promise<{ projectId: string; role: Role }> {
  const invitation = await openInvitation(prisma, token);
  if (invitation.email && invitation.email !== user.email) {
    throw new RefusedError(403, "invitation_for_another_email", `this invitation is for ${invitation.email}`);
  }
  const existing = await prisma.membership.findUnique({
    where: { projectId_userId: { projectId: invitation.projectId, userId: user.id } },
  });
  if (!existing) {
    await prisma.membership.create({
      data: { projectId: invitation.projectId, userId: user.id, role: invitation.role },
    });
  }
  await prisma.invitation.update({
    where: { id: invitation.id },
    data: { acceptedAt: new Date(), acceptedBy: user.id },
  });
  return { projectId: invitation.projectId, role: (existing?.role ?? invitation.role) as Role };
}

/** The signed-in person accepts an invitation by its link's token. */
export function acceptInvitation(prisma: PrismaClient, token: string, user: { id: string; email: string }) {
  return prisma.$transaction(async (tx) => {
    const joined = await acceptInvitationIn(tx as unknown as PrismaClient, token, user);
    await recordJoin(tx as unknown as PrismaClient, user, joined);
    return joined;
  });
}

/** The audit entry of someone joining (they act as themselves: not the admin who invited them). */
export async function recordJoin(
  prisma: PrismaClient,
  user: { id: string; email: string },
  joined: { projectId: string; role: Role },
) {
  const actor = { type: "user" as const, id: user.id, name: user.email };
  const entry = {
    action: "member.join" as const,
    targetType: "user",
    targetId: user.id,
    details: { role: joined.role },
  };
  await recordAudit(prisma, actor, joined.projectId, entry);
}
