/**
 * The people side of the configuration: whether sign-in is required, single sign-on with OpenID
 * Connect, invitation mail, and how long a browser session lasts. Read by config/env.ts (the one
 * reader of the environment), which merges these variables into its schema.
 */
import { z } from "zod";

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

export const authEnvShape = {
  /** `auto`: sign-in required as soon as a way to authenticate is configured; `required`: always. */
  FLOWTRACE_AUTH: z.preprocess(
    emptyToUndefined,
    z.enum(["auto", "required"], { message: "expected auto or required" }).default("auto"),
  ),
  FLOWTRACE_OIDC_ISSUER: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), { message: "expected the issuer's http(s) URL" })
      .optional(),
  ),
  FLOWTRACE_OIDC_CLIENT_ID: optionalString,
  FLOWTRACE_OIDC_CLIENT_SECRET: optionalString,
  /** The sign-in button's label (`Sign in with <name>`). */
  FLOWTRACE_OIDC_NAME: z.preprocess(emptyToUndefined, z.string().max(60).default("SSO")),
  /** The role a person signing in for the first time gets in the `default` project. */
  FLOWTRACE_OIDC_DEFAULT_ROLE: z.preprocess(
    emptyToUndefined,
    z.enum(["admin", "member", "viewer"], { message: "expected admin, member or viewer" }).default("viewer"),
  ),
  /** smtp(s)://user:pass@host:port — invitations are mailed when set (links work without it). */
  FLOWTRACE_SMTP_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => /^smtps?:\/\//.test(v) && URL.canParse(v), { message: "expected an smtp:// or smtps:// URL" })
      .optional(),
  ),
  FLOWTRACE_SMTP_FROM: z.preprocess(emptyToUndefined, z.string().default("FlowTrace <flowtrace@localhost>")),
  FLOWTRACE_SESSION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(365).default(30)),
};

export const AUTH_SECRET_VARIABLES = ["FLOWTRACE_OIDC_CLIENT_SECRET", "FLOWTRACE_SMTP_URL"] as const;

type AuthEnv = z.output<z.ZodObject<typeof authEnvShape>>;

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly defaultRole: "admin" | "member" | "viewer";
}

export interface AuthConfig {
  /** Requests need credentials (a session, a key or the token); false on the local default. */
  readonly required: boolean;
  readonly oidc: OidcConfig | null;
  readonly smtp: { readonly url: string; readonly from: string } | null;
  readonly sessionDays: number;
}

export class AuthConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

function oidcOf(env: AuthEnv): OidcConfig | null {
  const { FLOWTRACE_OIDC_ISSUER: issuer, FLOWTRACE_OIDC_CLIENT_ID: clientId } = env;
  const clientSecret = env.FLOWTRACE_OIDC_CLIENT_SECRET;
  if (!issuer && !clientId && !clientSecret) return null;
  if (!issuer) throw new AuthConfigError("FLOWTRACE_OIDC_ISSUER", "is required with the OIDC client id and secret");
  if (!clientId) throw new AuthConfigError("FLOWTRACE_OIDC_CLIENT_ID", "is required with FLOWTRACE_OIDC_ISSUER");
  if (!clientSecret) {
    throw new AuthConfigError("FLOWTRACE_OIDC_CLIENT_SECRET", "is required with FLOWTRACE_OIDC_ISSUER");
  }
  const name = env.FLOWTRACE_OIDC_NAME;
  return {
    issuer: issuer.replace(/\/+$/, ""),
    clientId,
    clientSecret,
    name,
    defaultRole: env.FLOWTRACE_OIDC_DEFAULT_ROLE,
  };
}

export function authConfigOf(env: AuthEnv, apiToken: string | null): AuthConfig {
  const oidc = oidcOf(env);
  return Object.freeze({
    required: env.FLOWTRACE_AUTH === "required" || apiToken !== null || oidc !== null,
    oidc,
    smtp: env.FLOWTRACE_SMTP_URL ? { url: env.FLOWTRACE_SMTP_URL, from: env.FLOWTRACE_SMTP_FROM } : null,
    sessionDays: env.FLOWTRACE_SESSION_DAYS,
  });
}
