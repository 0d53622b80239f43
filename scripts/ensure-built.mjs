#!/usr/bin/env node
// Run before `npm start`: builds whatever is missing (Prisma client, dashboard bundle) so a fresh
// clone starts with one command. Does nothing when everything is already built.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

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
  if (!serverOnly && !existsSync(`${root}client/dist/index.html`)) {
    console.log("flowtrace: building the dashboard (first start only)...");
    await run(process.execPath, ["node_modules/vite/bin/vite.js", "build", "client", "--logLevel", "warn"]);
  }
} catch (error) {
  console.error(`flowtrace: build failed: ${error.message}`);
  process.exit(1);
}
