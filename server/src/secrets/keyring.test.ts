import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/env.ts";
import { createRunSecrets } from "../engine/run-secrets.ts";
import { createKeyring, keyringOf } from "./keyring.ts";

describe("keyring", () => {
  it("seals with AES-256-GCM: a fresh IV each time, bound to its row, refused under another key", () => {
    const ring = createKeyring(randomBytes(32));
    const a = ring.seal("hunter22", "p/NAME");
    const b = ring.seal("hunter22", "p/NAME");
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(ring.open(a, "p/NAME")).toBe("hunter22");
    expect(() => ring.open(a, "p/OTHER")).toThrow(/integrity/);
    expect(() => createKeyring(randomBytes(32)).open(a, "p/NAME")).toThrow(/neither FLOWTRACE_SECRET_KEY/);
  });

  it("reads values of a previous key after a rotation, and writes under the new one", () => {
    const old = randomBytes(32);
    const sealed = createKeyring(old).seal("v4lue", "x");
    const rotated = createKeyring(randomBytes(32), [old]);
    expect(rotated.open(sealed, "x")).toBe("v4lue");
    expect(rotated.seal("v4lue", "x").keyId).toBe(rotated.currentId);
    expect(rotated.currentId).not.toBe(sealed.keyId);
  });

  it("generates one key file (0600) on the embedded defaults and reuses it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "ft-key-"));
    const config = parseConfig({ FLOWTRACE_DATA_DIR: dir });
    const first = await keyringOf(config.tools, config.dataDir);
    const again = await keyringOf(config.tools, config.dataDir);
    expect(again.currentId).toBe(first.currentId);
    expect((await stat(path.join(dir, "secret.key"))).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(dir, "secret.key"), "utf8")).trim()).toHaveLength(44);
  });

  it("refuses to start in server mode without FLOWTRACE_SECRET_KEY, and a malformed key", () => {
    const server = { DATABASE_URL: "postgresql://u@h/db", REDIS_URL: "redis://127.0.0.1:6379" };
    expect(() => parseConfig(server)).toThrow(/FLOWTRACE_SECRET_KEY is required/);
    expect(() => parseConfig({ ...server, FLOWTRACE_SECRET_KEY: "short" })).toThrow(/32 random bytes/);
    const key = randomBytes(32).toString("base64");
    expect(parseConfig({ ...server, FLOWTRACE_SECRET_KEY: key }).tools.secretKey?.length).toBe(32);
  });
});

describe("run secrets", () => {
  it("fills placeholders at call time and scrubs every value filled, as is and URL-encoded", async () => {
    const values: Record<string, string> = { K: "s3cr3t/value+x", L: "another-one" };
    const secrets = createRunSecrets({ value: async (name) => values[name] ?? null });
    expect(secrets.scrub("s3cr3t/value+x")).toBe("s3cr3t/value+x"); // nothing filled yet
    expect(await secrets.fill("Bearer {{secret.K}} {{ secret.L }}")).toBe("Bearer s3cr3t/value+x another-one");
    const echoed = { a: ["x s3cr3t/value+x y", { [encodeURIComponent("s3cr3t/value+x")]: "another-one" }] };
    expect(secrets.scrub(echoed)).toEqual({ a: ["x [secret K] y", { "[secret K]": "[secret L]" }] });
    const error = secrets.scrub(new Error("401 for another-one"));
    expect(error.message).toBe("401 for [secret L]");
    await expect(secrets.fill("{{secret.NOPE}}")).rejects.toThrow("secret NOPE is not set in this project");
  });
});
