/**
 * Single sign-on with OpenID Connect (openid-client): the authorization-code flow with PKCE, state
 * and nonce. `start` gives the provider's sign-in URL and the values the browser must bring back
 * (kept in a short-lived, HMAC-signed, httpOnly cookie by the route); `finish` exchanges the code,
 * checks the ID token (issuer, audience, nonce, signature) and returns who signed in.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import * as client from "openid-client";
import type { OidcConfig } from "../config/auth-env.ts";

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
}

export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

export interface OidcClient {
  readonly name: string;
  start(redirectUri: string): Promise<{ url: string; pending: PendingSignIn }>;
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<OidcIdentity>;
  /** The pending values as a signed cookie value, and back (null when tampered with or malformed). */
  seal(pending: PendingSignIn): string;
  open(sealed: string): PendingSignIn | null;
}

/** Plain http is accepted only for an issuer on this machine (a development or test provider). */
const isLoopback = (url: URL) => ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);

export function createOidcClient(config: OidcConfig): OidcClient {
  const issuer = new URL(config.issuer);
  const options = isLoopback(issuer) && issuer.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : {};
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = () => {
    discovered ??= client.discovery(issuer, config.clientId, config.clientSecret, undefined, options).catch((e) => {
      discovered = null; // try the discovery again on the next sign-in
      throw e;
    });
    return discovered;
  };
  const key = createHmac("sha256", config.clientSecret).update("flowtrace oidc state").digest();
  return {
    name: config.name,
    async start(redirectUri) {
      const pending = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: "openid email profile",
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },
    finish: async (callbackUrl, pending) => identityOf(await configuration(), callbackUrl, pending),
    seal: (pending) => seal(key, pending),
    open: (sealed) => open(key, sealed),
  };
}

async function identityOf(config: client.Configuration, callbackUrl: URL, pending: PendingSignIn) {
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("the identity provider returned no ID token");
  const info = claims.email ? claims : await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  if (typeof info.email !== "string" || info.email === "") {
    throw new Error("the identity provider did not share an email address (scope email)");
  }
  return {
    issuer: claims.iss,
    subject: claims.sub,
    email: info.email.toLowerCase(),
    emailVerified: info.email_verified === true,
    name: typeof info.name === "string" ? info.name : null,
  } satisfies OidcIdentity;
}

function seal(key: Buffer, pending: PendingSignIn): string {
  const body = Buffer.from(JSON.stringify(pending)).toString("base64url");
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

function open(key: Buffer, sealed: string): PendingSignIn | null {
  const [body, mac] = sealed.split(".");
  if (!body || !mac) return null;
  const expected = createHmac("sha256", key).update(body).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const value = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as PendingSignIn;
    return typeof value.state === "string" && typeof value.nonce === "string" && typeof value.verifier === "string"
      ? value
      : null;
  } catch {
    return null;
  }
}
