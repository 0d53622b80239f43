/**
 * `npm run bench`: every figure is measured against a baseline in the same run (the machine is
 * shared and noisy), reported as medians with spreads and a ratio. Writes bench/results.json.
 */
import { writeFile } from "node:fs/promises";
import { printTable } from "./lib.ts";
import { benchValidation } from "./validation.bench.ts";

const results = [await benchValidation()];
printTable(results);
await writeFile(
  new URL("./results.json", import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
);
