// The dashboard bundle (client/dist): whether it is older than its sources, and the one way it is
// built. Used by ensure-built.mjs (`npm start` after a `git pull` serves the dashboard the checkout
// holds, not the last one built) and by the integration tests' global setup.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["client/src", "client/index.html", "client/vite.config.ts", "client/package.json"];

/** The newest modification time among the dashboard's sources under `root`. */
export function newestSource(root) {
  let newest = 0;
  const visit = (path) => {
    const st = statSync(path);
    if (st.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of SOURCES) if (existsSync(join(root, p))) visit(join(root, p));
  return newest;
}

/** Why the bundle must be (re)built, or null when it is current. */
export function dashboardStale(root) {
  const built = join(root, "client/dist/index.html");
  if (!existsSync(built)) return "building the dashboard (first start only)";
  if (newestSource(root) > statSync(built).mtimeMs) return "rebuilding the dashboard (its sources changed)";
  return null;
}

/**
 * Build the production bundle with Vite, whatever NODE_ENV the caller has (Vitest sets `test`, which
 * would make Vite ship React's development runtime, StrictMode's double effects included).
 */
export function buildDashboard(root, { logLevel = "warn", quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["node_modules/vite/bin/vite.js", "build", "client", "--logLevel", logLevel],
      {
        cwd: root,
        env: { ...process.env, NODE_ENV: "production" },
        stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
      },
    );
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`building the dashboard failed (vite exited ${code})`)),
    );
  });
}
