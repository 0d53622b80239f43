// Is the dashboard bundle (client/dist) older than its sources? Used by ensure-built.mjs, so that
// `npm start` after a `git pull` serves the dashboard the checkout holds, not the last one built.
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
