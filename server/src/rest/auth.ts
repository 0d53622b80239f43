/**
 * Signing people in, over REST (answered before a caller is identified: these routes are how one
 * becomes a caller):
 * - `GET /api/auth/me` → who this browser is and how this server signs people in;
 * - `POST /api/auth/sign-up {email, password, name?, invitation?}` → 201, session cookie set;
 * - `POST /api/auth/sign-in {email, password}` → 200, session cookie set (401 wrong, 429 too many);
 * - `POST /api/auth/sign-out` → 204, session ended;
 * - `GET /api/auth/invitations/:token` → the invitation's project and role (the token is the secret);
 * - `POST /api/auth/invitations/:token/accept` → the signed-in person joins (200 `{project_id, role}`);
 * - `GET /api/auth/oidc/start` → 302 to the identity provider; `GET /api/auth/oidc/callback` → 302 home.
 */
import { type Me, meSchema, signInBody, signUpBody } from "@flowtrace/contract/access";
import { getConnInfo } from "@hono/node-server/conninfo";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AuthConfig } from "../config/auth-env.ts";
import type { PrismaClient } from "../db/prisma.ts";
import { SESSION_COOKIE } from "../http/caller.ts";
import type { SignInLimiter } from "../http/sign-in-limit.ts";
import type { OidcClient } from "../identity/oidc.ts";
import {
  type Account,
  authenticateSession,
  checkPassword,
  createSession,
  endSession,
  signUp,
  signUpOpen,
  ssoAccount,
} from "../services/accounts.ts";
import { RefusedError } from "../services/errors.ts";
import { acceptInvitation, openInvitation } from "../services/invitations.ts";
import { projectsOf } from "../services/members.ts";
import { listProjects } from "../services/projects.ts";
import { body } from "./request.ts";

export interface AuthDeps {
  prisma: PrismaClient;
  auth: AuthConfig;
  apiToken: string | null;
  publicUrl: string;
  oidc: OidcClient | null;
  limiter: SignInLimiter;
}

const PENDING_COOKIE = "flowtrace_oidc";

function sessionCookie(deps: AuthDeps) {
  return { httpOnly: true, sameSite: "Lax" as const, path: "/", secure: deps.publicUrl.startsWith("https:") };
}

async function startSession(c: Context, deps: AuthDeps, user: Account) {
  const { token, expiresAt } = await createSession(deps.prisma, user.id, deps.auth.sessionDays);
  setCookie(c, SESSION_COOKIE, token, { ...sessionCookie(deps), expires: expiresAt });
}

const remoteAddress = (c: Context) => getConnInfo(c).remote.address ?? "unknown";

async function signedIn(c: Context, deps: AuthDeps): Promise<Account | null> {
  const token = getCookie(c, SESSION_COOKIE);
  return token ? ((await authenticateSession(deps.prisma, token, deps.auth.sessionDays))?.user ?? null) : null;
}

async function me(c: Context, deps: AuthDeps): Promise<Me> {
  const user = await signedIn(c, deps);
  const required = deps.auth.required;
  const auth = {
    required,
    password: true,
    sso: deps.oidc ? { name: deps.oidc.name } : null,
    sign_up_open: await signUpOpen(deps.prisma),
  };
  if (user) return { auth, user, kind: "user", projects: await projectsOf(deps.prisma, user.id) };
  if (required) return { auth, user: null, kind: "anonymous", projects: [] };
  const projects = (await listProjects(deps.prisma)).map((p) => ({ id: p.id, name: p.name, role: "owner" as const }));
  return { auth, user: null, kind: "local", projects };
}

export function authRoutes(deps: AuthDeps): Hono {
  const app = new Hono();
  app.get("/me", async (c) => c.json(meSchema.parse(await me(c, deps))));
  app.post("/sign-up", async (c) => {
    const user = await signUp(deps.prisma, await body(c.req.raw, signUpBody));
    await startSession(c, deps, user);
    return c.json({ user }, 201);
  });
  app.post("/sign-in", async (c) => {
    const { email, password } = await body(c.req.raw, signInBody);
    const ip = remoteAddress(c);
    await deps.limiter.check(ip, email);
    const user = await checkPassword(deps.prisma, email, password);
    if (!user) {
      await deps.limiter.fail(ip, email);
      throw new RefusedError(401, "invalid_credentials", "wrong email or password");
    }
    await deps.limiter.succeed(ip, email);
    await startSession(c, deps, user);
    return c.json({ user });
  });
  app.post("/sign-out", async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await endSession(deps.prisma, token);
    deleteCookie(c, SESSION_COOKIE, sessionCookie(deps));
    return c.body(null, 204);
  });
  invitationRoutes(app, deps);
  if (deps.oidc) oidcRoutes(app, deps, deps.oidc);
  return app;
}

function invitationRoutes(app: Hono, deps: AuthDeps) {
  app.get("/invitations/:token", async (c) => {
    const invitation = await openInvitation(deps.prisma, c.req.param("token"));
    const { project, role, email, expiresAt } = invitation;
    return c.json({
      project: { id: project.id, name: project.name },
      role,
      email,
      expires_at: expiresAt.toISOString(),
    });
  });
  app.post("/invitations/:token/accept", async (c) => {
    const user = await signedIn(c, deps);
    if (!user) throw new RefusedError(401, "unauthorized", "sign in (or sign up with the invitation) to accept it");
    const joined = await acceptInvitation(deps.prisma, c.req.param("token"), user);
    return c.json({ project_id: joined.projectId, role: joined.role });
  });
}

function oidcRoutes(app: Hono, deps: AuthDeps, oidc: OidcClient) {
  const redirectUri = `${deps.publicUrl}/api/auth/oidc/callback`;
  app.get("/oidc/start", async (c) => {
    const { url, pending } = await oidc.start(redirectUri);
    setCookie(c, PENDING_COOKIE, oidc.seal(pending), { ...sessionCookie(deps), maxAge: 600 });
    return c.redirect(url, 302);
  });
  app.get("/oidc/callback", async (c) => {
    const pending = oidc.open(getCookie(c, PENDING_COOKIE) ?? "");
    deleteCookie(c, PENDING_COOKIE, sessionCookie(deps));
    if (!pending)
      throw new RefusedError(401, "sso_failed", "the sign-in took too long or came from elsewhere: start again");
    const callback = new URL(c.req.url);
    const url = new URL(`${redirectUri}${callback.search}`);
    const identity = await oidc.finish(url, pending).catch((error: Error) => {
      throw new RefusedError(401, "sso_failed", `single sign-on failed: ${error.message}`);
    });
    const user = await ssoAccount(deps.prisma, identity, deps.auth.oidc?.defaultRole ?? "viewer");
    await startSession(c, deps, user);
    return c.redirect("/", 302);
  });
}
