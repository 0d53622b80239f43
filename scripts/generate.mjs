#!/usr/bin/env node
// Generates the Prisma client and Pothos types from prisma/schema.prisma, offline.
// Prisma's CLI would try to download a native schema engine; generation does not need it
// (the generator is WebAssembly), so PRISMA_SCHEMA_ENGINE_BINARY points at /bin/false.
// Skips the work when the generated files match the schema (hash stamp), unless --force.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const schemaPath = `${root}prisma/schema.prisma`;
const outDir = `${root}server/src/db/generated`;
const stamp = `${outDir}/.schema-hash`;
const force = process.argv.includes("--force");

const hash = createHash("sha256").update(readFileSync(schemaPath)).digest("hex");
const upToDate =
  existsSync(stamp) &&
  readFileSync(stamp, "utf8").trim() === hash &&
  existsSync(`${outDir}/prisma/client.ts`) &&
  existsSync(`${outDir}/pothos-types.ts`);

if (upToDate && !force) process.exit(0);

const prismaBin = `${root}node_modules/prisma/build/index.js`;
if (!existsSync(prismaBin)) {
  console.error("flowtrace: the prisma package is not installed; run `npm install` first");
  process.exit(1);
}
const child = spawn(process.execPath, [prismaBin, "generate"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
child.on("exit", (code) => {
  if (code !== 0) {
    console.error("flowtrace: prisma generate failed");
    process.exit(code ?? 1);
  }
  writeFileSync(stamp, `${hash}\n`);
});
