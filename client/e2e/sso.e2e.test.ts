/**
 * Single sign-on end to end: a real OpenID provider (the `oidc-provider` package, certified, run in
 * this test on its own port) and a real FlowTrace server process configured with
 * FLOWTRACE_OIDC_ISSUER / _CLIENT_ID / _CLIENT_SECRET. Chromium clicks "Sign in with …", signs in on
 * the provider's page, consents, and lands on the dashboard signed in; the person was created on
 * first sign-in with the configured default role. A forged callback is refused.
 */
import type { Server } from "node:http";
import Provider from "oidc-provider";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../server/test/helpers/process.ts";
import { type Harness, startHarness } from "./harness.ts";

const SECRET = "sso-client-secret-0123456789abcdef";
let harness: Harness;
let page: Page;
let idp: Server;

function startProvider(issuer: string, port: number, redirect: string): Server {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "flowtrace",
        client_secret: SECRET,
        redirect_uris: [redirect],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: `${id}@corp.example`, email_verified: true, name: "Sam Single" }),
      };
    },
    cookies: { keys: ["test-cookie-key-0123456789"] },
  });
  return provider.listen(port, "127.0.0.1");
}

beforeAll(async () => {
  const idpPort = await freePort();
  const issuer = `http://127.0.0.1:${idpPort}`;
  harness = await startHarness({
    FLOWTRACE_SEED_DEMO: "0",
    FLOWTRACE_OIDC_ISSUER: issuer,
    FLOWTRACE_OIDC_CLIENT_ID: "flowtrace",
    FLOWTRACE_OIDC_CLIENT_SECRET: SECRET,
    FLOWTRACE_OIDC_NAME: "Corp SSO",
    FLOWTRACE_OIDC_DEFAULT_ROLE: "member",
  });
  idp = startProvider(issuer, idpPort, `${harness.base}/api/auth/oidc/callback`);
  ({ page } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await new Promise<void>((resolve) => (idp ? idp.close(() => resolve()) : resolve()));
});

describe("single sign-on with OpenID Connect", () => {
  it("signs a new person in through the provider and makes them a member of default", async () => {
    await page.goto(harness.base);
    await page.getByRole("button", { name: "Sign in with Corp SSO" }).click();
    await page.locator('input[name="login"]').fill("sam");
    await page.locator('input[name="password"]').fill("anything");
    await page.locator('button[type="submit"]').click();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${harness.base}/`);
    const me = await page.evaluate(async () => (await fetch("/api/auth/me")).json());
    expect(me).toMatchObject({
      kind: "user",
      user: { email: "sam@corp.example", name: "Sam Single" },
      projects: [{ name: "default", role: "member" }],
    });
    await page.getByText("sam@corp.example").first().waitFor();
  });

  it("refuses a callback that did not start here (no signed state)", async () => {
    const res = await fetch(`${harness.base}/api/auth/oidc/callback?code=forged&state=forged`, { redirect: "manual" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("sso_failed");
  });
});
