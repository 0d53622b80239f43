/**
 * People against a real server: the first sign-up becomes the owner, later ones need an invitation;
 * sessions are httpOnly SameSite cookies stored only as hashes, passwords only as argon2id hashes
 * (read from the tables); signed-in changes need an Origin of this site; roles decide what each
 * person may do (a viewer cannot start a run, over REST and GraphQL); another project is 404;
 * sign-in attempts are rate-limited (429 with Retry-After); invitations are mailed over real SMTP
 * when it is configured; the audit log names each person.
 */
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../helpers/stack.ts";
import { chainOf, llmNode } from "../helpers/workflows.ts";

const TOKEN = "p".repeat(32);
let stack: Stack;
let smtp: SMTPServer;
const mails: string[] = [];
const ids = { defaultProject: "", beta: "", workflow: "" };

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Json = any;

/** A browser: its cookie jar and its own origin on every change. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly origin: string | null = "self") {}
  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      redirect: "manual",
      headers: {
        "content-type": "application/json",
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(this.origin && method !== "GET" ? { origin: this.origin === "self" ? stack.url : this.origin } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    for (const line of res.headers.getSetCookie()) this.remember(line);
    const text = await res.text();
    const json = res.headers.get("content-type")?.includes("json");
    return { status: res.status, body: (text && json ? JSON.parse(text) : text || null) as Json, headers: res.headers };
  }
  remember(line: string) {
    const [pair] = line.split(";");
    const [name, ...value] = (pair ?? "").split("=");
    if (!name) return;
    if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value.join("=") === "") this.cookies.delete(name.trim());
    else this.cookies.set(name.trim(), value.join("="));
  }
}

const owner = new Browser();
const viewer = new Browser();
const admin = new Browser();
const password = "correct horse battery";

async function asToken(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, done) {
      let text = "";
      stream.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      stream.on("end", () => {
        mails.push(text);
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as { port: number }).port;
  stack = await startStack({
    latencyMs: 1,
    apiToken: TOKEN,
    authEnv: { FLOWTRACE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, FLOWTRACE_SMTP_FROM: "ft@example.com" },
  });
  ids.defaultProject = (await asToken("GET", "/api/projects")).body.items[0].id;
  ids.beta = (await asToken("POST", "/api/projects", { name: "beta" })).body.id;
  ids.workflow = (await asToken("POST", "/api/workflows", { name: "w", graph_json: chainOf([llmNode("a")]) })).body.id;
});

afterAll(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

describe("people", () => {
  it("opens sign-up for the first account only: it becomes the owner of default", async () => {
    const anonymous = await new Browser().call("GET", "/api/auth/me");
    expect(anonymous.body).toMatchObject({
      kind: "anonymous",
      user: null,
      auth: { required: true, sign_up_open: true },
    });
    const up = await owner.call("POST", "/api/auth/sign-up", { email: "Owner@Example.com", password, name: "Olive" });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const cookie = up.headers.getSetCookie().find((c) => c.startsWith("flowtrace_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await owner.call("GET", "/api/auth/me");
    expect(me.body).toMatchObject({ kind: "user", user: { email: "owner@example.com", name: "Olive" } });
    expect(me.body.projects).toEqual([{ id: ids.defaultProject, name: "default", role: "owner" }]);
    const second = await new Browser().call("POST", "/api/auth/sign-up", { email: "x@example.com", password });
    expect(second).toMatchObject({ status: 403, body: { error: { code: "invitation_required" } } });
  });

  it("stores passwords as argon2id hashes and sessions as hashes of their token", async () => {
    const users = await stack.prisma.user.findMany();
    expect(users[0]?.passwordHash).toMatch(/^\$argon2id\$/);
    const token = owner.cookies.get("flowtrace_session") ?? "";
    expect(token.length).toBeGreaterThan(40);
    const sessions = await stack.prisma.session.findMany();
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) expect(s.tokenHash).not.toContain(token);
  });

  it("refuses a signed-in change without an Origin, or from another site", async () => {
    const body = { role: "viewer" };
    const path = `/api/projects/${ids.defaultProject}/invitations`;
    const bare = new Browser(null);
    bare.cookies = owner.cookies;
    expect((await bare.call("POST", path, body)).body.error.code).toBe("forbidden_origin");
    const evil = new Browser("https://evil.example");
    evil.cookies = owner.cookies;
    expect((await evil.call("POST", path, body)).status).toBe(403);
    expect(await stack.prisma.invitation.count()).toBe(0);
  });

  it("invites by link (mailed when SMTP is set); the invited viewer reads but cannot start a run", async () => {
    const created = await owner.call("POST", `/api/projects/${ids.defaultProject}/invitations`, {
      role: "viewer",
      email: "vera@example.com",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ role: "viewer", email: "vera@example.com", emailed: true });
    const token = (created.body.url as string).split("/invite/")[1] ?? "";
    expect(mails.some((m) => m.includes("To: vera@example.com") && m.includes(token.slice(0, 20)))).toBe(true);
    const info = await new Browser().call("GET", `/api/auth/invitations/${token}`);
    expect(info.body).toMatchObject({ project: { name: "default" }, role: "viewer" });
    const wrong = await new Browser().call("POST", "/api/auth/sign-up", {
      email: "eve@example.com",
      password,
      invitation: token,
    });
    expect(wrong.body.error.code).toBe("invitation_for_another_email");
    const up = await viewer.call("POST", "/api/auth/sign-up", {
      email: "vera@example.com",
      password,
      invitation: token,
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect((await viewer.call("GET", "/api/workflows")).status).toBe(200);
    const start = await viewer.call("POST", `/api/workflows/${ids.workflow}/runs`, { input_vars: { topic: "t" } });
    expect(start).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect(start.body.error.message).toBe("your role in this project (viewer) lacks the scope runs:write");
    const gql = await viewer.call("POST", "/graphql", {
      query: `mutation { startRun(workflowId: "${ids.workflow}", inputVars: {topic: "t"}) { __typename } }`,
    });
    expect(gql.status).toBe(403);
    expect(gql.body.errors[0].extensions.code).toBe("FORBIDDEN");
    expect(await stack.prisma.workflowRun.count()).toBe(0);
    const reuse = await new Browser().call("GET", `/api/auth/invitations/${token}`);
    expect(reuse.status).toBe(404);
  });

  it("hides other projects (404) and lets an owner change roles; admins cannot make owners", async () => {
    const beta = await viewer.call("GET", "/api/workflows", undefined, { "x-flowtrace-project": ids.beta });
    expect(beta.status).toBe(404);
    const members = (await owner.call("GET", `/api/projects/${ids.defaultProject}/members`)).body.items;
    const vera = members.find((m: Json) => m.email === "vera@example.com");
    expect(vera.role).toBe("viewer");
    const promoted = await owner.call("PUT", `/api/projects/${ids.defaultProject}/members/${vera.user_id}`, {
      role: "member",
    });
    expect(promoted.body).toMatchObject({ role: "member" });
    const start = await viewer.call("POST", `/api/workflows/${ids.workflow}/runs`, { input_vars: { topic: "t" } });
    expect(start.status).toBe(202);
    // An admin invites but may not grant owner; the last owner stays.
    const invite = await owner.call("POST", `/api/projects/${ids.defaultProject}/invitations`, { role: "admin" });
    const token = (invite.body.url as string).split("/invite/")[1];
    await admin.call("POST", "/api/auth/sign-up", { email: "ada@example.com", password, invitation: token });
    const grant = await admin.call("PUT", `/api/projects/${ids.defaultProject}/members/${vera.user_id}`, {
      role: "owner",
    });
    expect(grant.status).toBe(403);
    const ownerId = members.find((m: Json) => m.role === "owner").user_id;
    const demote = await owner.call("PUT", `/api/projects/${ids.defaultProject}/members/${ownerId}`, { role: "admin" });
    expect(demote.status).toBe(409);
    expect((await admin.call("DELETE", `/api/projects/${ids.beta}`)).status).toBe(404);
  });

  it("records each person as the actor in the audit log", async () => {
    const log = (await owner.call("GET", `/api/projects/${ids.defaultProject}/audit-log`)).body.items as Json[];
    const byAction = (action: string) => log.find((e) => e.action === action);
    expect(byAction("member.invite")?.actor).toMatchObject({ type: "user", name: "owner@example.com" });
    const joined = log.filter((e) => e.action === "member.join").map((e) => `${e.actor.type}:${e.actor.name}`);
    expect(joined.sort()).toEqual(["user:ada@example.com", "user:vera@example.com"]);
    expect(byAction("member.role_change")).toMatchObject({ details: { from: "viewer", to: "member" } });
    expect(byAction("run.start")?.actor).toMatchObject({ type: "user", name: "vera@example.com" });
  });

  it("rate-limits failed sign-ins (429 with Retry-After) and signs out", async () => {
    const stranger = new Browser();
    let last = { status: 0, headers: new Headers() };
    for (let i = 0; i < 11; i++)
      last = await stranger.call("POST", "/api/auth/sign-in", {
        email: "vera@example.com",
        password: "nope nope nope",
      });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    const right = await stranger.call("POST", "/api/auth/sign-in", { email: "vera@example.com", password });
    expect(right.status).toBe(429);
    const fresh = new Browser();
    const ok = await fresh.call("POST", "/api/auth/sign-in", { email: "owner@example.com", password });
    expect(ok.status).toBe(200);
    expect((await fresh.call("POST", "/api/auth/sign-out")).status).toBe(204);
    expect((await fresh.call("GET", "/api/workflows")).status).toBe(401);
  });
});
