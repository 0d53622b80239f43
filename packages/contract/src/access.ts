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
