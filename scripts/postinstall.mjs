#!/usr/bin/env node
// `npm install` prepares everything a first `npm start` would otherwise wait for: the Prisma client
// and Pothos types (required), then — best effort, a failure only moves the work to the first
// start — the dashboard bundle and the embedded database's template cluster (initdb in WebAssembly
// takes ~6 s; see server/src/db/pglite-template.ts).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildDashboard, dashboardStale } from "./dashboard.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const node = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" }).status;

if (node(["scripts/generate.mjs"]) !== 0) process.exit(1);
if (process.env.FLOWTRACE_SKIP_PREPARE === "1") process.exit(0);
try {
  const reason = dashboardStale(root);
  if (reason) {
    console.log(`flowtrace: ${reason}...`);
    await buildDashboard(root);
  }
} catch (error) {
  console.warn(`flowtrace: the dashboard was not built now (${error.message}); \`npm start\` builds it`);
}
const template = node([
  "--import",
  "tsx",
  "-e",
  "const m = await import('./server/src/db/pglite-template.ts'); console.log('flowtrace: embedded database template', await m.writeTemplate());",
]);
if (template !== 0) console.warn("flowtrace: no embedded database template now; the first start creates it");
