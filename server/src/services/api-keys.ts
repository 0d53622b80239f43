/**
 * Project API keys: created with a name, scopes and an optional expiry; the key (`ft_` + 43
 * base64url characters: 256 random bits) is returned once and stored only as its SHA-256 hash;
 * listed by prefix with who created it and when it was last used; revoked, never deleted.
 *
 * Why not the auth library's API-key plugin: its keys belong to users, ours to projects and carry
 * FlowTrace's scopes; what is left (random bytes, a hash, a lookup) is a few lines.
 */
import { createHash, randomBytes } from "node:crypto";
import type { ApiKeyJson, ApiScope, CreatedApiKeyJson } from "@flowtrace/contract/access";
import type { PrismaClient } from "../db/prisma.ts";
import type { Uuid } from "../domain/ids.ts";
import { audit } from "./audit.ts";
import { NotFoundError } from "./errors.ts";

export const KEY_PREFIX = "ft_";
/** How often a key's last use is written at most (a key used every second writes once a minute). */
const LAST_USED_EVERY_MS = 60_000;

const hashOf = (key: string) => createHash("sha256").update(key).digest("hex");

type Row = Awaited<ReturnType<PrismaClient["apiKey"]["create"]>>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function apiKeyJson(k: Row): ApiKeyJson {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes as ApiScope[],
    expires_at: iso(k.expiresAt),
    created_at: k.createdAt.toISOString(),
    created_by: k.createdBy,
    last_used_at: iso(k.lastUsedAt),
    revoked_at: iso(k.revokedAt),
  };
}

export async function createApiKey(
  prisma: PrismaClient,
  input: { projectId: string; name: string; scopes: ApiScope[]; expiresAt: Date | null; createdBy: string },
): Promise<CreatedApiKeyJson> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await prisma.apiKey.create({
    data: {
      projectId: input.projectId,
      name: input.name,
      prefix: key.slice(0, KEY_PREFIX.length + 8),
      keyHash: hashOf(key),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt,
      createdBy: input.createdBy,
    },
  });
  const { id, name, prefix, scopes, expires_at, created_at } = apiKeyJson(row);
  const details = { name, prefix, scopes, expires_at };
  await audit(prisma, { action: "api_key.create", targetType: "api_key", targetId: id, details }, input.projectId);
  return { id, name, key, prefix, scopes, expires_at, created_at };
}

export async function listApiKeys(prisma: PrismaClient, projectId: string): Promise<ApiKeyJson[]> {
  const rows = await prisma.apiKey.findMany({ where: { projectId }, orderBy: { createdAt: "desc" }, take: 1000 });
  return rows.map(apiKeyJson);
}

/** Revoke a key of this project (NotFoundError for another project's, or none). Revoking twice is fine. */
export async function revokeApiKey(prisma: PrismaClient, projectId: string, keyId: Uuid): Promise<void> {
  const key = await prisma.apiKey.findFirst({ where: { id: keyId, projectId } });
  if (!key) throw new NotFoundError(`API key ${keyId} does not exist`);
  if (key.revokedAt) return;
  await prisma.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
  await audit(
    prisma,
    {
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: keyId,
      details: { name: key.name, prefix: key.prefix },
    },
    projectId,
  );
}

export interface KeyHolder {
  keyId: string;
  keyName: string;
  projectId: string;
  scopes: ApiScope[];
}

/** The key's holder, or null when the key is unknown, revoked or expired. Records its use. */
export async function authenticateApiKey(
  prisma: PrismaClient,
  key: string,
  now = new Date(),
): Promise<KeyHolder | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const row = await prisma.apiKey.findUnique({ where: { keyHash: hashOf(key) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { keyId: row.id, keyName: row.name, projectId: row.projectId, scopes: row.scopes as ApiScope[] };
}
