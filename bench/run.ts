/**
 * `npm run bench`: every timing is measured against a baseline in the same run (the machine is
 * shared and noisy) and reported as medians with spreads and a ratio; the reliability benchmark
 * reports the spec's success metrics. Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, or the
 * local defaults). Writes bench/results.json. `--smoke` runs tiny sizes (used by the test suite).
 */
import { writeFile } from "node:fs/promises";
import { benchAgent } from "./agent.bench.ts";
import { benchConcurrency, benchEngine } from "./engine.bench.ts";
import { benchExperiments } from "./experiments.bench.ts";
import { printTable } from "./lib.ts";
import { benchLive } from "./live.bench.ts";
import { benchMetrics } from "./metrics.bench.ts";
import { benchReliability } from "./reliability.bench.ts";
import { benchScaling } from "./scaling.bench.ts";
import { benchTools } from "./tools.bench.ts";
import { benchValidation } from "./validation.bench.ts";

const smoke = process.argv.includes("--smoke");

const validation = await benchValidation(smoke ? 3 : 40);
printTable([validation]);
const engine = await benchEngine(
  smoke
    ? { steps: 5, events: 200, cacheSamples: 2, samples: 1 }
    : { steps: 100, events: 20_000, cacheSamples: 20, samples: 5 },
);
console.log("\nengine (real PostgreSQL + Redis; the simulator in its own process at 0 ms):");
console.table({
  "orchestration overhead (ms added per step)": {
    value: engine.overhead.addedMsPerStep,
    baseline: `bare SDK loop ${engine.overhead.bareMsMedian} ms / ${engine.sizes.steps} calls`,
    ratio: engine.overhead.ratio,
    target: engine.overhead.target,
    met: engine.overhead.met,
  },
  "embedded mode overhead (ms added per step)": {
    value: engine.embeddedOverhead.addedMsPerStep,
    baseline: `bare SDK loop ${engine.embeddedOverhead.bareMsMedian} ms / ${engine.sizes.steps} calls`,
    ratio: engine.embeddedOverhead.ratio,
    target: engine.embeddedOverhead.target,
    met: engine.embeddedOverhead.met,
  },
  "trace pipeline (events/s)": {
    value: engine.tracePipeline.eventsPerSecond,
    baseline: `raw INSERT ${engine.tracePipeline.rawEventsPerSecond}/s`,
    ratio: engine.tracePipeline.ratioToRaw,
    target: engine.tracePipeline.target,
    met: engine.tracePipeline.met,
  },
  "cache hit step latency (ms)": {
    value: engine.cache.hitMsMedian,
    baseline: `miss ${engine.cache.missMsMedian} ms`,
    ratio: engine.cache.ratio,
    target: engine.cache.target,
    met: engine.cache.met,
  },
});
const concurrency = await benchConcurrency(
  smoke
    ? { runs: 4, steps: 2, latencyMs: 20, concurrency: 2 }
    : { runs: 1000, steps: 5, latencyMs: 200, concurrency: 50 },
);
console.log("\nconcurrency (one process, in-process queue):");
console.table(concurrency);
const scaling = await benchScaling(
  smoke
    ? { runs: 3, steps: 2, latencyMs: 20, totalConcurrency: 2, workers: [1] }
    : { runs: 300, steps: 5, latencyMs: 200, totalConcurrency: 32, workers: [1, 2, 4] },
);
console.log(
  "\nscale-out (worker processes on BullMQ, one PostgreSQL and Redis, the same total concurrency split between them):",
);
console.table(scaling);
const experiments = await benchExperiments(
  smoke
    ? { items: 6, steps: 2, latencyMs: 20, concurrency: 3 }
    : { items: 1000, steps: 2, latencyMs: 100, concurrency: 50 },
);
console.log(
  "\nexperiment (in-process queue; ratios against the concurrency ideal and the same runs started one by one):",
);
console.table(experiments);
const metrics = await benchMetrics(smoke ? { runs: 200, samples: 1 } : { runs: 100_000, samples: 7 });
console.log(
  `\nworkflow metrics page over ${metrics.runs.toLocaleString("en-US")} runs × ${metrics.steps} steps (seeded in ${metrics.seedSeconds} s; ms, median):`,
);
console.table(metrics.ranges);
const live = await benchLive(
  smoke ? { subscribers: [1, 3], events: 5, bigTrace: 300 } : { subscribers: [1, 500], events: 50, bigTrace: 10_000 },
);
console.log(
  `\nlive latency (ms, recorder → Redis → API → client); baseline bare Redis round trip p50 ${live.baselineRedis.p50}, p99 ${live.baselineRedis.p99}:`,
);
console.table([
  ...live.sse.map((r) => ({ transport: "REST SSE", ...r })),
  ...live.graphqlSse.map((r) => ({ transport: "graphql-sse", ...r })),
]);
console.log(`target ${live.targets}: ${live.met ? "met" : "missed"}`);
console.log(`\nbig trace (${live.bigTrace.events} events, ms):`);
console.table(live.bigTrace);
const agent = await benchAgent(smoke ? 2 : 10, smoke ? 1 : 5);
console.log("\nagent loop (an agent step vs. the same model and tool calls in a bare SDK loop, same run):");
console.table({
  "agent overhead (ms added per iteration)": {
    value: agent.addedMsPerIteration,
    baseline: `bare loop ${agent.bareMsMedian} ms / ${agent.rounds + 1} model calls`,
    engine: `${agent.engineMsMedian} ms`,
    ratio: agent.ratio,
  },
});
const tools = await benchTools(smoke ? 3 : 40);
console.log("\ntools from anywhere (each against its same-run baseline):");
printTable(tools);
const reliability = await benchReliability(smoke ? 2 : 25);
console.log("\nreliability (2 demo flows, 30% transient faults, each input run twice):");
console.table(reliability);
if (!smoke) {
  await writeFile(
    new URL("./results.json", import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, validation, engine, concurrency, scaling, experiments, metrics, live, agent, tools, reliability }, null, 2)}\n`,
  );
}
process.exit(0);
