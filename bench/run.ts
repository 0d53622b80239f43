/**
 * `npm run bench`: every timing is measured against a baseline in the same run (the machine is
 * shared and noisy) and reported as medians with spreads and a ratio; the reliability benchmark
 * reports the spec's success metrics. Writes bench/results.json.
 */
import { writeFile } from "node:fs/promises";
import { printTable } from "./lib.ts";
import { benchReliability } from "./reliability.bench.ts";
import { benchValidation } from "./validation.bench.ts";

const timings = [await benchValidation()];
printTable(timings);
const reliability = await benchReliability();
console.log("\nreliability (2 demo flows, 30% transient faults, each input run twice):");
console.table(reliability);
await writeFile(
  new URL("./results.json", import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, timings, reliability }, null, 2)}\n`,
);
