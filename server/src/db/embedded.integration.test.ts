/**
 * Embedded mode end to end: the engine (Prisma + the LangGraph checkpointer) on PGlite. Before every
 * client shared one connection, PGlite's wire server interleaved the extended-protocol messages of
 * concurrent connections and runs failed with `portal "" does not exist`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../config/env.ts";
import { PriceMap } from "../domain/pricing/pricing.ts";
import { createCheckpointer } from "../engine/checkpointer.ts";
import { executeRun } from "../engine/executor.ts";
import { createLogger } from "../observability/logger.ts";
import { registryFrom, simulatorProviders } from "../providers/registry.ts";
import { type Simulator, startSimulator } from "../providers/simulator/simulator.ts";
import { createMemoryPubSub } from "../realtime/memory-pubsub.ts";
import { type Database, openDatabase } from "./database.ts";

let dir: string;
let db: Database;
let sim: Simulator;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ft-embedded-"));
  db = await openDatabase(parseConfig({ FLOWTRACE_DATA_DIR: dir }), createLogger({ level: "silent" }), {
    migrate: "apply",
  });
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const chain = (n: number, tag: string) => ({
  version: "1",
  entry: "s0",
  nodes: Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    type: "llm",
    name: `s${i}`,
    config: { provider: "openai", model: "gpt-4o-mini", system: `${tag} ${i}` },
    inputs: { text: i === 0 ? "start" : `{{node.s${i - 1}.output}}` },
  })),
  edges: Array.from({ length: n - 1 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}` })),
});

describe("embedded database", () => {
  it("runs workflows concurrently through the engine on PGlite", async () => {
    expect(db.kind).toBe("embedded");
    const deps = {
      prisma: db.prisma,
      pubsub: createMemoryPubSub(),
      providers: registryFrom(simulatorProviders(sim), { simulated: true }),
      prices: PriceMap.defaults(),
      fetchAllow: [],
      logger: createLogger({ level: "silent" }),
      checkpointer: await createCheckpointer(db.pool()),
    };
    const runs = await Promise.all(
      Array.from({ length: 4 }, async (_, k) => {
        const graph = chain(4, `embedded ${k}`);
        const wf = await db.prisma.workflow.create({
          data: { project: { connect: { name: "default" } }, name: `e${k}`, graphJson: graph },
        });
        return db.prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: graph } });
      }),
    );
    const statuses = await Promise.all(runs.map((r) => executeRun(r.id, deps)));
    const summaries = await db.prisma.workflowRun.findMany({ select: { errorSummary: true } });
    expect(summaries.map((s) => s.errorSummary).filter(Boolean)).toEqual([]);
    expect(statuses).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
  });
});
