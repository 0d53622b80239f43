/**
 * Spec §9 success metrics on the two demo flows, through the real engine and SDKs against the
 * simulator with a 30% transient-failure fault plan (15% 503, 15% 429):
 * run success rate, cache hit rate and cost cut on repeated inputs, and totals vs usage × price.
 */

import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { embeddedPool } from "../server/src/db/database.ts";
import { startEmbeddedPostgres } from "../server/src/db/embedded.ts";
import { runMigrations } from "../server/src/db/migrate.ts";
import { createPrismaClient } from "../server/src/db/prisma.ts";
import { Cents } from "../server/src/domain/pricing/money.ts";
import { EMPTY_USAGE, PriceMap, type Usage } from "../server/src/domain/pricing/pricing.ts";
import { demoCsv, demoResearch } from "../server/src/domain/workflow/examples.ts";
import { createCheckpointer } from "../server/src/engine/checkpointer.ts";
import { executeRun } from "../server/src/engine/executor.ts";
import { createLogger } from "../server/src/observability/logger.ts";
import { registryFrom, simulatorProviders } from "../server/src/providers/registry.ts";
import { startSimulator } from "../server/src/providers/simulator/simulator.ts";
import { createMemoryPubSub } from "../server/src/realtime/memory-pubsub.ts";

export interface ReliabilityReport {
  runs: number;
  succeeded: number;
  successRate: number;
  repeatLlmSteps: number;
  repeatCacheHits: number;
  cacheHitRate: number;
  firstPassCostCents: string;
  repeatPassCostCents: string;
  costReduction: number;
  maxTotalsError: number;
  retries: number;
  fallbacks: number;
}

export async function benchReliability(runsPerFlow = 25): Promise<ReliabilityReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ft-bench-"));
  const external = process.env.DATABASE_URL;
  const embedded = external ? null : await startEmbeddedPostgres({ dataDir: dir });
  const url = external ?? embedded?.url ?? "";
  await runMigrations(url);
  // Embedded PGlite needs every client on one connection (see Database.pool).
  const pool = external ? new pg.Pool({ connectionString: url, max: 4 }) : embeddedPool(url);
  pool.on("error", () => {});
  const prisma = createPrismaClient(url, { pool });
  const sim = await startSimulator({
    seed: 42,
    faults: [
      { status: 503, probability: 0.15 },
      { status: 429, probability: 0.15 / 0.85 },
    ],
  });
  const docs = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const v = u.searchParams.get("v") ?? "0";
    if (u.pathname === "/demo/sales.csv") {
      const rows = Array.from(
        { length: 40 },
        (_, i) => `${["EU", "US", "APAC"][i % 3]},${(i * 37 + Number(v)) % 500},${i % 7}`,
      );
      res.end(`region,revenue,units\n${rows.join("\n")}\n`);
    } else {
      res.end(`Report ${v}. ${"Revenue grew while costs stayed flat. ".repeat(20 + (Number(v) % 30))}`);
    }
  });
  await new Promise<void>((r) => docs.listen(0, "127.0.0.1", () => r()));
  const port = (docs.address() as AddressInfo).port;
  const checkpointer = await createCheckpointer(pool);
  const prices = PriceMap.defaults();
  const deps = {
    prisma,
    pubsub: createMemoryPubSub(),
    providers: registryFrom(simulatorProviders(sim), { simulated: true }),
    prices,
    fetchAllow: [`127.0.0.1:${port}`],
    logger: createLogger({ level: "silent" }),
    checkpointer,
  };
  const base = `http://127.0.0.1:${port}`;
  // One workflow pair per input: the demo documents with a distinct query string (?v=i) each.
  const variant = (graph: { nodes: readonly { id: string; config: object }[] }, i: number) =>
    JSON.parse(JSON.stringify(graph).replace(/(\/demo\/[a-z.]+)"/g, `$1?v=${i}"`)) as object;
  const pairs = await Promise.all(
    Array.from({ length: runsPerFlow }, async (_, i) => [
      await prisma.workflow.create({
        data: {
          project: { connect: { name: "default" } },
          name: `research ${i}`,
          graphJson: variant(demoResearch(base), i),
        },
      }),
      await prisma.workflow.create({
        data: { project: { connect: { name: "default" } }, name: `csv ${i}`, graphJson: variant(demoCsv(base), i) },
      }),
    ]),
  );

  const runIds: { id: string; pass: 1 | 2 }[] = [];
  for (const pass of [1, 2] as const) {
    for (const pair of pairs) {
      for (const wf of pair) {
        const run = await prisma.workflowRun.create({
          data: { workflowId: wf.id, graphSnapshot: wf.graphJson as object },
        });
        await executeRun(run.id, deps);
        runIds.push({ id: run.id, pass });
      }
    }
  }

  let succeeded = 0;
  let firstCost = Cents.ZERO;
  let repeatCost = Cents.ZERO;
  let repeatLlmSteps = 0;
  let repeatHits = 0;
  let maxErr = 0;
  let retries = 0;
  let fallbacks = 0;
  for (const { id, pass } of runIds) {
    const run = await prisma.workflowRun.findUniqueOrThrow({ where: { id } });
    if (run.status === "succeeded") succeeded++;
    else console.error(`run ${id} ${run.status}: ${run.errorSummary}`);
    const total = Cents.parse(run.totalCostCents.toFixed(12));
    if (pass === 1) firstCost = firstCost.add(total);
    else repeatCost = repeatCost.add(total);
    const events = await prisma.traceEvent.findMany({ where: { runId: id } });
    retries += events.filter((e) => e.kind === "retry").length;
    fallbacks += events.filter((e) => e.kind === "fallback").length;
    if (pass === 2) {
      const llmSteps = await prisma.runStep.count({ where: { runId: id, nodeType: "llm", status: "succeeded" } });
      repeatLlmSteps += llmSteps;
      repeatHits += events.filter((e) => e.kind === "cache.hit").length;
    }
    // Totals vs. usage × price recomputed independently from the trace.
    let expected = Cents.ZERO;
    for (const e of events.filter((x) => x.kind === "llm.response")) {
      const p = e.payload as unknown as { provider: string; model: string; usage: Usage };
      expected = expected.add(prices.cost(p.provider, p.model, { ...EMPTY_USAGE, ...p.usage }) ?? Cents.ZERO);
    }
    const err = expected.isZero()
      ? total.isZero()
        ? 0
        : 1
      : Math.abs(total.toNumber() - expected.toNumber()) / expected.toNumber();
    maxErr = Math.max(maxErr, err);
  }

  await prisma.$disconnect();
  await pool.end().catch(() => {});
  await sim.close();
  await new Promise<void>((r) => docs.close(() => r()));
  await embedded?.stop();
  await rm(dir, { recursive: true, force: true });
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return {
    runs: runIds.length,
    succeeded,
    successRate: round(succeeded / runIds.length),
    repeatLlmSteps,
    repeatCacheHits: repeatHits,
    cacheHitRate: round(repeatLlmSteps ? repeatHits / repeatLlmSteps : 0),
    firstPassCostCents: firstCost.toString(),
    repeatPassCostCents: repeatCost.toString(),
    costReduction: round(firstCost.isZero() ? 0 : 1 - repeatCost.toNumber() / firstCost.toNumber()),
    maxTotalsError: round(maxErr),
    retries,
    fallbacks,
  };
}
