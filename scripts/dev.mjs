#!/usr/bin/env node
// `npm run dev`: the API with file watching plus the Vite dev server (which proxies API paths).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const children = [spawn(process.execPath, ["scripts/generate.mjs"], { cwd: root, stdio: "inherit" })];
children[0].on("exit", (code) => {
  if (code !== 0) process.exit(code ?? 1);
  children.push(
    spawn(process.execPath, ["--watch", "--import", "tsx", "server/src/main.api.ts"], {
      cwd: root,
      stdio: "inherit",
      // The dashboard's pages come from Vite's origin; its proxy keeps that Origin on API requests.
      env: { FLOWTRACE_CORS_ORIGINS: "http://localhost:5173,http://127.0.0.1:5173", ...process.env },
    }),
    spawn(process.execPath, ["node_modules/vite/bin/vite.js", "client"], { cwd: root, stdio: "inherit" }),
  );
});
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
