/**
 * A project's secrets: set, listed (names and who set them, never values), replaced and deleted,
 * each recorded in the audit log (its name only). The worker reads them through a resolver made
 * per run (`secretResolver`): values come out of the database only at call time.
 */
import type { SecretListing } from "@flowtrace/contract/secrets";
import { Prisma, type PrismaClient } from "../db/prisma.ts";
import type { Keyring } from "../secrets/keyring.ts";
import { actorOfCaller, audit } from "./audit.ts";
import { ConflictError, NotFoundError } from "./errors.ts";
import { currentCaller } from "./request-context.ts";

type Row = Awaited<ReturnType<PrismaClient["secret"]["create"]>>;

const aadOf = (projectId: string, name: string) => `${projectId}/${name}`;

function listing(row: Row): SecretListing {
  return {
    name: row.name,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    created_by: row.createdBy,
    updated_by: row.updatedBy,
  };
}

const actorName = () => {
  const caller = currentCaller();
  return caller ? actorOfCaller(caller).name : "system";
};

export async function listSecrets(prisma: PrismaClient): Promise<SecretListing[]> {
  return (await prisma.secret.findMany({ orderBy: { name: "asc" } })).map(listing);
}

export async function createSecret(
  prisma: PrismaClient,
  keyring: Keyring,
  projectId: string,
  input: { name: string; value: string },
): Promise<SecretListing> {
  const by = actorName();
  const sealed = keyring.seal(input.value, aadOf(projectId, input.name));
  try {
    const row = await prisma.secret.create({
      data: { projectId, name: input.name, ...sealed, createdBy: by, updatedBy: by },
    });
    await audit(prisma, { action: "secret.create", targetType: "secret", targetId: row.name });
    return listing(row);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ConflictError(
        `a secret named ${input.name} already exists: PUT /api/secrets/${input.name} replaces it`,
      );
    }
    throw error;
  }
}

export async function updateSecret(
  prisma: PrismaClient,
  keyring: Keyring,
  projectId: string,
  input: { name: string; value: string },
): Promise<SecretListing> {
  const found = await prisma.secret.findFirst({ where: { name: input.name } });
  if (!found) throw new NotFoundError(`no secret named ${input.name} in this project`);
  const sealed = keyring.seal(input.value, aadOf(projectId, input.name));
  const row = await prisma.secret.update({ where: { id: found.id }, data: { ...sealed, updatedBy: actorName() } });
  await audit(prisma, { action: "secret.update", targetType: "secret", targetId: row.name });
  return listing(row);
}

export async function deleteSecret(prisma: PrismaClient, name: string): Promise<void> {
  const found = await prisma.secret.findFirst({ where: { name } });
  if (!found) throw new NotFoundError(`no secret named ${name} in this project`);
  await prisma.secret.delete({ where: { id: found.id } });
  await audit(prisma, { action: "secret.delete", targetType: "secret", targetId: name });
}

/** Values under a previous key, written again under the current one (after a key rotation). */
export async function reencryptSecrets(prisma: PrismaClient, keyring: Keyring): Promise<number> {
  const stale = await prisma.secret.findMany({ where: { keyId: { not: keyring.currentId } } });
  for (const row of stale) {
    const aad = aadOf(row.projectId, row.name);
    const sealed = keyring.seal(keyring.open(row, aad), aad);
    await prisma.secret.update({ where: { id: row.id }, data: sealed });
  }
  return stale.length;
}

/** Reads one project's secret values, by name, at call time (the engine's side). */
export interface SecretResolver {
  /** The value, or null when the project has no secret of that name. */
  value(name: string): Promise<string | null>;
}

export function secretResolver(prisma: PrismaClient, keyring: Keyring, projectId: string): SecretResolver {
  return {
    async value(name) {
      const row = await prisma.secret.findUnique({ where: { projectId_name: { projectId, name } } });
      return row ? keyring.open(row, aadOf(projectId, name)) : null;
    },
  };
}
