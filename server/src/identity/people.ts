/** What signing people in needs, built once per API process from the configuration. */
import type { AuthConfig } from "../config/auth-env.ts";
import { createSignInLimiter, type SignInLimiter } from "../http/sign-in-limit.ts";
import type { Mailer } from "../services/invitations.ts";
import { createMailer } from "./mailer.ts";
import { createOidcClient, type OidcClient } from "./oidc.ts";

export interface People {
  auth: AuthConfig;
  publicUrl: string;
  oidc: OidcClient | null;
  limiter: SignInLimiter;
  mailer: Mailer | null;
}

export function createPeople(options: {
  auth: AuthConfig;
  publicUrl: string;
  redisUrl: string | null;
  prefix: string;
}): People {
  return {
    auth: options.auth,
    publicUrl: options.publicUrl,
    oidc: options.auth.oidc ? createOidcClient(options.auth.oidc) : null,
    limiter: createSignInLimiter(options.redisUrl, options.prefix),
    mailer: createMailer(options.auth.smtp),
  };
}
