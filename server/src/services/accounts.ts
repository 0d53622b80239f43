/**
 * People's accounts and browser sessions. Passwords are hashed with argon2id (@node-rs/argon2, its
 * OWASP defaults); a session is a random 256-bit token in an httpOnly cookie, stored only as its
 * SHA-256 hash, sliding until it has not been seen for FLOWTRACE_SESSION_DAYS.
 *
 * Sign-up: the first account of an instance becomes the owner of `default` (the set-up step, like
 * n8n's owner set-up); every later one needs an invitation (services/invitations.ts).
 *
 * Why not better-auth: projects, roles, project API keys and the audit log are FlowTrace's own
 * tables already (every query is project-scoped through them); better-auth's organisation and
 * API-key plugins would be a second, parallel model of the same things. What is left here is a
 * password hash (a library), a random token and a lookup; single sign-on is openid-client.
 */
import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { PrismaClient } from "../db/prisma.ts";
import { RefusedError } from "./errors.ts";
import { acceptInvitationIn, recordJoin } from "./invitations.ts";
import { DEFAULT_PROJECT } from "./projects.ts";

export interface Account {
  id: string;
  email: string;
  name: string;
}

/** How often a session's last sight is written at most. */
const SEEN_EVERY_MS = 5 * 60_000;
/** A hash to verify against when the email is unknown, so both answers take as long. */
let decoy: Promise<string> | null = null;

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");
const account = (u: Account): Account => ({ id: u.id, email: u.email, name: u.name });
const nameFromEmail = (email: string) => email.split("@")[0] ?? email;

/** Whether anyone may sign up without an invitation (no account exists yet). */
export async function signUpOpen(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.user.count()) === 0;
}

/** A new account: the instance's first owner, or an invited person (RefusedError otherwise). */
export async function signUp(
  prisma: PrismaClient,
  input: { email: string; password: string; name?: string | undefined; invitation?: string | undefined },
): Promise<Account> {
  const passwordHash = await hash(input.password);
  const data = { email: input.email, name: input.name ?? nameFromEmail(input.email), passwordHash };
  return prisma.$transaction(async (tx) => {
    // One sign-up at a time decides who is first.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7316001)`;
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      throw new RefusedError(403, "email_taken", `an account for ${input.email} exists: sign in instead`);
    }
    if (input.invitation) {
      const user = await tx.user.create({ data });
      const joined = await acceptInvitationIn(tx as unknown as PrismaClient, input.invitation, user);
      await recordJoin(tx as unknown as PrismaClient, user, joined);
      return account(user);
    }
    if ((await tx.user.count()) > 0) {
      throw new RefusedError(403, "invitation_required", "sign-up needs an invitation link from a project admin");
    }
    const user = await tx.user.create({ data });
    const project = await tx.project.findUniqueOrThrow({ where: { name: DEFAULT_PROJECT } });
    await tx.membership.create({ data: { projectId: project.id, userId: user.id, role: "owner" } });
    return account(user);
  });
}

/** The account whose password this is, or null (the same time either way). */
export async function checkPassword(prisma: PrismaClient, email: string, password: string): Promise<Account | null> {
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user?.passwordHash) {
    decoy ??= hash(randomBytes(16).toString("hex"));
    await verify(await decoy, password);
    return null;
  }
  return (await verify(user.passwordHash, password)) ? account(user) : null;
}

/** A new session for the account; the token goes into the cookie and nowhere else. */
export async function createSession(prisma: PrismaClient, userId: string, days: number) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await prisma.session.create({ data: { userId, tokenHash: tokenHash(token), expiresAt } });
  return { token, expiresAt };
}

/** The account a session token belongs to, or null (unknown or expired). Slides the expiry. */
export async function authenticateSession(prisma: PrismaClient, token: string, days: number, now = new Date()) {
  const session = await prisma.session.findUnique({ where: { tokenHash: tokenHash(token) }, include: { user: true } });
  if (!session || session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    const expiresAt = new Date(now.getTime() + days * 86_400_000);
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
  }
  return { sessionId: session.id, user: account(session.user) };
}

export async function endSession(prisma: PrismaClient, token: string): Promise<void> {
  await prisma.session.deleteMany({ where: { tokenHash: tokenHash(token) } });
}

/**
 * The account of a person signing in through single sign-on: found by the provider's subject,
 * else linked by a verified email, else created as a member of `default` with the configured role.
 */
export async function ssoAccount(
  prisma: PrismaClient,
  identity: { issuer: string; subject: string; email: string; emailVerified: boolean; name: string | null },
  defaultRole: string,
): Promise<Account> {
  const bySubject = await prisma.user.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
  });
  if (bySubject) return account(bySubject);
  const byEmail = await prisma.user.findUnique({ where: { email: identity.email } });
  if (byEmail) {
    if (!identity.emailVerified) {
      throw new RefusedError(403, "email_unverified", "the identity provider has not verified this email address");
    }
    const linked = await prisma.user.update({
      where: { id: byEmail.id },
      data: { oidcIssuer: identity.issuer, oidcSubject: identity.subject },
    });
    return account(linked);
  }
  const name = identity.name ?? nameFromEmail(identity.email);
  const user = await prisma.user.create({
    data: { email: identity.email, name, oidcIssuer: identity.issuer, oidcSubject: identity.subject },
  });
  const project = await prisma.project.findUniqueOrThrow({ where: { name: DEFAULT_PROJECT } });
  await prisma.membership.create({ data: { projectId: project.id, userId: user.id, role: defaultRole } });
  return account(user);
}
