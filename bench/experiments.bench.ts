/**
 * 6. Experiments: an experiment of `items` items on the simulator (each item a `steps`-step run
 * answered after `latencyMs`, at most `concurrency` in flight), against two figures of the same run:
 *  - the concurrency ideal, concurrency / (steps × latency) items per second;
 *  - the same runs started one by one (enqueued straight to a worker of the same concurrency):
 *    what the experiment's driver, claiming and scoring add on top.
 */
import type { PrismaClient } from "../server/src/db/prisma.ts";
import { createLogger } from "../server/src/observability/logger.ts";
import { type Env, linear, setup } from "./engine.bench.ts";

export interface ExperimentBench {
  items: number;
  steps: number;
  latencyMs: number;
  concurrency: number;
  experimentSeconds: number;
  itemsPerSecond: number;
  idealItemsPerSecond: number;
  ratioToIdeal: number;
  oneByOneSeconds: number;
  overheadRatio: number;
  passRate: number | null;
}

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

async function waitRuns(prisma: PrismaClient, ids: string[]) {
  for (;;) {
    const open = await prisma.workflowRun.count({ where: { id: { in: ids }, status: { in: ["queued", "running"] } } });
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The baseline: the same inputs as plain runs, all enqueued at once to a worker of the same concurrency. */
async function oneByOne(
  env: Env,
  workflowId: string,
  graph: object,
  topics: string[],
  enqueue: (id: string) => Promise<unknown>,
) {
  const ids: string[] = [];
  for (const topic of topics) {
    const run = await env.prisma.workflowRun.create({
      data: { workflowId, graphSnapshot: graph, inputVars: { topic } },
    });
    ids.push(run.id);
  }
  const t = performance.now();
  for (const id of ids) await enqueue(id);
  await waitRuns(env.prisma, ids);
  return (performance.now() - t) / 1000;
}

async function experiment(
  env: Env,
  deps: Parameters<typeof import("../server/src/services/experiments.ts").startExperiment>[0],
  workflowId: string,
  topics: string[],
  concurrency: number,
) {
  const { startExperiment, getExperiment } = await import("../server/src/services/experiments.ts");
  const dataset = await env.prisma.dataset.create({
    data: {
      project: { connect: { name: "default" } },
      name: "bench",
      items: {
        createMany: { data: topics.map((topic, position) => ({ position, inputVars: { topic }, expected: topic })) },
      },
    },
  });
  const t = performance.now();
  const e = await startExperiment(deps, {
    workflowId: workflowId as never,
    datasetId: dataset.id as never,
    scorers: [{ type: "contains", case_sensitive: false }],
    concurrency,
  });
  for (;;) {
    const status = await env.prisma.experiment.findUnique({ where: { id: e.id }, select: { status: true } });
    if (status?.status !== "queued" && status?.status !== "running") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - t) / 1000;
  const detail = await getExperiment(env, e.id as never);
  if (detail.status !== "succeeded" || detail.summary.failed_runs > 0)
    throw new Error(`bench experiment ended ${detail.status}`);
  return { seconds, passRate: detail.summary.pass_rate };
}

export async function benchExperiments(
  sizes = { items: 1000, steps: 2, latencyMs: 100, concurrency: 50 },
): Promise<ExperimentBench> {
  const env = await setup();
  const { createMemoryQueue } = await import("../server/src/queue/memory-queue.ts");
  const { WorkerManager } = await import("../server/src/worker/manager.ts");
  const { createProcessors } = await import("../server/src/worker/processors.ts");
  try {
    await env.sim.setLatency(sizes.latencyMs, 0);
    const queue = createMemoryQueue();
    const graph = linear(sizes.steps, "experiment", false);
    // Each step reads the one before; the first reads the item's topic (which the answer then quotes).
    graph.nodes = graph.nodes.map((n, i) => ({
      ...n,
      inputs: { text: i === 0 ? "{{input.topic}}" : `{{node.s${i - 1}.output}}` },
    }));
    const wf = await env.prisma.workflow.create({
      data: { project: { connect: { name: "default" } }, name: "bench experiment", graphJson: graph },
    });
    await env.prisma.workflowVersion.create({ data: { workflowId: wf.id, version: 1, graphJson: graph } });
    const workers = new WorkerManager(queue, createLogger({ level: "silent" }));
    workers.start(createProcessors(env.deps, queue), sizes.concurrency);
    const topics = (tag: string) => Array.from({ length: sizes.items }, (_, i) => `${tag} item ${i}`);
    const baseline = await oneByOne(env, wf.id, graph, topics("plain"), (runId) =>
      queue.enqueue("runs", { runId }, { jobId: runId }),
    );
    const deps = { prisma: env.prisma, queue, pubsub: env.pubsub, providerNames: () => ["openai", "anthropic"] };
    const exp = await experiment(env, deps, wf.id, topics("scored"), sizes.concurrency);
    await workers.close(5_000);
    const ideal = sizes.concurrency / ((sizes.steps * sizes.latencyMs) / 1000);
    const ips = sizes.items / exp.seconds;
    return {
      ...sizes,
      experimentSeconds: round(exp.seconds, 2),
      itemsPerSecond: round(ips, 2),
      idealItemsPerSecond: round(ideal, 2),
      ratioToIdeal: round(ips / ideal),
      oneByOneSeconds: round(baseline, 2),
      overheadRatio: round(exp.seconds / baseline),
      passRate: exp.passRate,
    };
  } finally {
    await env.close();
  }
}
