/**
 * Project secrets at rest: AES-256-GCM (node:crypto) under the current key, with a fresh 12-byte IV
 * per value and the secret's project and name as additional data (a value copied onto another row
 * does not decrypt). Each value keeps the id of its key (the first 8 hex digits of the key's
 * SHA-256), so after a rotation the previous keys still read older values until they are rewritten.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ToolsConfig } from "../config/tools-env.ts";
import { decodeSecretKey } from "../config/tools-env.ts";

export interface Sealed {
  ciphertext: string;
  keyId: string;
}

export interface Keyring {
  /** The id of the key new values are written with. */
  readonly currentId: string;
  seal(plain: string, aad: string): Sealed;
  open(sealed: Sealed, aad: string): string;
}

export class SecretKeyError extends Error {
  override readonly name = "SecretKeyError";
}

const keyIdOf = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 8);

export function createKeyring(current: Buffer, previous: readonly Buffer[] = []): Keyring {
  const keys = new Map([current, ...previous].map((k) => [keyIdOf(k), k]));
  const currentId = keyIdOf(current);
  return {
    currentId,
    seal(plain, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current, iv);
      cipher.setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64"));
      return { ciphertext: parts.join("."), keyId: currentId };
    },
    open(sealed, aad) {
      const key = keys.get(sealed.keyId);
      if (!key) {
        throw new SecretKeyError(
          `this secret was written with key ${sealed.keyId}, which is neither FLOWTRACE_SECRET_KEY nor in FLOWTRACE_SECRET_KEY_PREVIOUS`,
        );
      }
      const [iv, tag, body] = sealed.ciphertext.split(".").map((p) => Buffer.from(p, "base64"));
      if (!iv || !tag || !body) throw new SecretKeyError("a stored secret is malformed");
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretKeyError("a stored secret failed its integrity check (wrong key, or altered)");
      }
    },
  };
}

/**
 * The configured keyring; on the embedded defaults without FLOWTRACE_SECRET_KEY, a key generated
 * once into `<dataDir>/secret.key` (mode 0600), so a local install keeps working across restarts.
 */
export async function keyringOf(tools: ToolsConfig, dataDir: string): Promise<Keyring> {
  if (tools.secretKey) return createKeyring(tools.secretKey, tools.previousSecretKeys);
  const file = path.join(dataDir, "secret.key");
  const existing = await readFile(file, "utf8").catch(() => null);
  const key = existing === null ? null : decodeSecretKey(existing);
  if (existing !== null && !key) throw new SecretKeyError(`${file} does not hold a 32-byte base64 key`);
  if (key) return createKeyring(key, tools.previousSecretKeys);
  const fresh = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(file, `${fresh.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process of this install (the worker, say) wrote it first: use that one.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return keyringOf(tools, dataDir);
    throw error;
  }
  await chmod(file, 0o600);
  return createKeyring(fresh, tools.previousSecretKeys);
}
