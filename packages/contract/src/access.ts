/**
 * Access: the scopes a project API key can hold, and the REST shapes of keys and projects. The
 * server checks requests against these scopes; the dashboard offers them when a key is created.
 */
import { z } from "zod";

export const API_SCOPES = [
  "workflows:read",
  "workflows:write",
  "runs:read",
  "runs:write",
  "approvals:decide",
  "datasets:write",
  "admin",
] as const;

export type ApiScope = (typeof API_SCOPES)[number];

export const apiScopeSchema = z.enum(API_SCOPES, { message: `expected one of ${API_SCOPES.join(", ")}` });

/** `POST /api/projects/:projectId/api-keys` */
export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1, { message: "expected a name" }).max(200),
  scopes: z.array(apiScopeSchema).min(1, { message: "expected at least one scope" }).max(API_SCOPES.length),
  expires_at: z.iso
    .datetime({ offset: true, message: "expected an ISO-8601 date-time, e.g. 2027-01-31T00:00:00Z" })
    .nullish(),
});

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("The key's first characters (ft_ and 8 more)."),
  scopes: z.array(apiScopeSchema),
  expires_at: z.string().nullable(),
  created_at: z.string(),
  created_by: z.string().describe("instance, local, or api_key:<id>"),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

/** The answer to a key's creation: the only time the key itself is shown. */
export const createdApiKeySchema = apiKeySchema
  .pick({ id: true, name: true, prefix: true, scopes: true, expires_at: true, created_at: true })
  .extend({ key: z.string().describe("ft_…: shown once, stored only as a hash.") });

export type ApiKeyJson = z.infer<typeof apiKeySchema>;
export type CreatedApiKeyJson = z.infer<typeof createdApiKeySchema>;

/** A person's role in a project, from most to least trusted. */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { message: `expected one of ${ROLES.join(", ")}` });

/** What each role may do, as the scopes a key would need (owner also deletes the project). */
export const ROLE_SCOPES: Record<Role, readonly ApiScope[]> = {
  owner: API_SCOPES,
  admin: API_SCOPES,
  member: ["workflows:read", "workflows:write", "runs:read", "runs:write", "approvals:decide", "datasets:write"],
  viewer: ["workflows:read", "runs:read"],
};

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "expected an email address" }))
  .pipe(z.string().max(320));
const password = z
  .string()
  .min(10, { message: "expected a password of at least 10 characters" })
  .max(200, { message: "expected a password of at most 200 characters" });

/** `POST /api/auth/sign-up` (the first account, or one with an invitation). */
export const signUpBody = z.strictObject({
  email,
  password,
  name: z.string().trim().min(1).max(200).optional(),
  invitation: z.string().min(1).max(200).optional().describe("The token of an invitation link."),
});

/** `POST /api/auth/sign-in` */
export const signInBody = z.strictObject({ email, password: z.string().min(1).max(200) });

/** `POST /api/projects/:projectId/invitations` */
export const createInvitationBody = z.strictObject({ role: roleSchema, email: email.optional() });

/** `PUT /api/projects/:projectId/members/:userId` */
export const memberRoleBody = z.strictObject({ role: roleSchema });

const projectName = z
  .string()
  .trim()
  .min(1, { message: "expected a name" })
  .max(100)
  .regex(/^[^\s/][^/]*$/, { message: "expected a name without slashes" });

/** `POST /api/projects` and `PUT /api/projects/:projectId` */
export const projectBody = z.strictObject({ name: projectName });

export const memberSchema = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  joined_at: z.string(),
});

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  role: roleSchema,
  created_by: z.string(),
  created_at: z.string(),
  expires_at: z.string(),
  accepted_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

/** The answer to an invitation's creation: the only time its link is shown. */
export const createdInvitationSchema = invitationSchema.extend({
  url: z.string().describe("The link to send: shown once, its token stored only as a hash."),
  emailed: z.boolean().describe("Whether it was sent by mail (SMTP configured and an email given)."),
});

/** `GET /api/auth/me`: who the dashboard is, and how this server signs people in. */
export const meSchema = z.object({
  auth: z.object({
    required: z.boolean().describe("False on the local default: no sign-in, the local owner."),
    password: z.boolean(),
    sso: z.object({ name: z.string() }).nullable(),
    sign_up_open: z.boolean().describe("True until the first account exists (it becomes the first owner)."),
  }),
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  kind: z.enum(["local", "instance", "user", "api_key", "anonymous"]),
  projects: z.array(z.object({ id: z.string(), name: z.string(), role: roleSchema })),
});

export type Member = z.infer<typeof memberSchema>;
export type InvitationJson = z.infer<typeof invitationSchema>;
export type CreatedInvitationJson = z.infer<typeof createdInvitationSchema>;
export type Me = z.infer<typeof meSchema>;
