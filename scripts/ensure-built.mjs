#!/usr/bin/env node
// Run before `npm start`: builds whatever is missing or out of date (Prisma client, dashboard
// bundle) so a fresh clone — or a checkout after `git pull` — starts with one command. Does nothing
// when everything is already built.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildDashboard, dashboardStale } from "./dashboard.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const serverOnly = process.argv.includes("--server-only");

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

try {
  await run(process.execPath, ["scripts/generate.mjs"]);
  const reason = serverOnly ? null : dashboardStale(root);
  if (reason) {
    console.log(`flowtrace: ${reason}...`);
    await buildDashboard(root);
  }
} catch (error) {
  console.error(`flowtrace: build failed: ${error.message}`);
  process.exit(1);
}
