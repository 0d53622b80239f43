/** Package version and git commit of the running build (`"unknown"` outside a git checkout). */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export interface VersionInfo {
  name: string;
  version: string;
  gitSha: string;
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function gitSha(): Promise<string> {
  // Asynchronous on purpose: a synchronous child process would block the embedded database's socket server.
  return new Promise((resolve) => {
    execFile("git", ["rev-parse", "HEAD"], { cwd: ROOT, timeout: 2_000 }, (error, stdout) => {
      const sha = stdout?.trim() ?? "";
      resolve(!error && /^[0-9a-f]{40}$/.test(sha) ? sha : "unknown");
    });
  });
}

let cached: Promise<VersionInfo> | undefined;

export function readVersion(): Promise<VersionInfo> {
  cached ??= (async () => {
    const pkg = JSON.parse(await readFile(`${ROOT}package.json`, "utf8")) as { name: string; version: string };
    return { name: pkg.name, version: pkg.version, gitSha: await gitSha() };
  })();
  return cached;
}
