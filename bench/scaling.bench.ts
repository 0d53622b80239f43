/**
 * 2b. Scale-out: the same 5-step runs (200 ms provider latency, the simulator in its own process)
 * executed by 1, 2 and 4 worker processes (`server/src/main.worker.ts`, BullMQ on Redis) against one
 * PostgreSQL, with the same total concurrency split between them (FLOWTRACE_WORKER_CONCURRENCY =
 * total ÷ workers): the ideal stays the same, so the throughput ratio against one worker, measured
 * in the same run, is what spreading the work over processes (and cores) buys. A worker's pools
 * grow with its concurrency (≈ 2 × concurrency + 8 connections at most), which is what bounds the
 * total here: PostgreSQL's default max_connections is 100.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createBullmqQueue } from "../server/src/queue/bullmq-queue.ts";
import { linear, serverDatabase } from "./engine.bench.ts";
import { startRemoteSimulator } from "./sim-process.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface ScalingRow {
  workers: number;
  concurrencyPerWorker: number;
  runs: number;
  seconds: number;
  runsPerSecond: number;
  ratioToIdeal: number;
  scalingVsOneWorker: number;
  peakRssMbPerWorker: number;
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", "server/src/main.worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out: string | null = "";
    proc.stdout?.on("data", (d: Buffer) => {
      if (out === null) return; // started: the rest of its log is not read
      out += d.toString();
      if (out.includes("worker started")) {
        out = null;
        resolve(proc);
      }
    });
    proc.once("exit", (code) => reject(new Error(`worker exited (${code}) before it started: ${out}`)));
    setTimeout(() => reject(new Error(`worker did not start in 60 s: ${out}`)), 60_000).unref();
  });
}

/** Peak resident memory of a process (Linux: VmHWM). */
async function peakRssMb(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export async function benchScaling(
  sizes = { runs: 600, steps: 5, latencyMs: 200, totalConcurrency: 32, workers: [1, 2, 4] },
): Promise<ScalingRow[]> {
  const db = await serverDatabase("scaling");
  const sim = await startRemoteSimulator(sizes.latencyMs);
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/14";
  const rows: ScalingRow[] = [];
  try {
    for (const n of sizes.workers) {
      const prefix = `flowtrace_scaling_${process.pid}_${n}`;
      const env = {
        DATABASE_URL: db.url,
        REDIS_URL: redisUrl,
        FLOWTRACE_QUEUE_PREFIX: prefix,
        FLOWTRACE_WORKER_CONCURRENCY: String(Math.floor(sizes.totalConcurrency / n)),
        OPENAI_BASE_URL: sim.openaiBaseUrl,
        OPENAI_API_KEY: "simulated",
        ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
        ANTHROPIC_API_KEY: "simulated",
        LOG_LEVEL: "info", // "worker started" is said at info
        FLOWTRACE_SECRET_KEY: process.env.FLOWTRACE_SECRET_KEY ?? Buffer.alloc(32, 9).toString("base64"),
      };
      const ids = await createRuns(db.prisma, sizes, n);
      const workers = await Promise.all(Array.from({ length: n }, () => startWorker(env)));
      const queue = createBullmqQueue(redisUrl, { prefix });
      try {
        const t = performance.now();
        for (const runId of ids) await queue.enqueue("runs", { runId }, { jobId: runId });
        await waitForRuns(db.prisma, ids);
        const seconds = (performance.now() - t) / 1000;
        const rss = await Promise.all(workers.map((w) => peakRssMb(w.pid)));
        const rps = sizes.runs / seconds;
        const ideal = sizes.totalConcurrency / ((sizes.steps * sizes.latencyMs) / 1000);
        const one = rows[0]?.runsPerSecond ?? rps;
        rows.push({
          workers: n,
          concurrencyPerWorker: Math.floor(sizes.totalConcurrency / n),
          runs: sizes.runs,
          seconds: Math.round(seconds * 10) / 10,
          runsPerSecond: Math.round(rps * 10) / 10,
          ratioToIdeal: Math.round((rps / ideal) * 1000) / 1000,
          scalingVsOneWorker: Math.round((rps / one) * 100) / 100,
          peakRssMbPerWorker: Math.max(...rss),
        });
      } finally {
        await queue.close();
        for (const w of workers) w.kill("SIGKILL");
      }
    }
    return rows;
  } finally {
    await sim.close();
    await db.drop();
  }
}

async function createRuns(
  prisma: Awaited<ReturnType<typeof serverDatabase>>["prisma"],
  sizes: { runs: number; steps: number },
  tag: number,
): Promise<string[]> {
  const graph = linear(sizes.steps, `scaling ${tag}`, false);
  const wf = await prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: `scaling ${tag}`, graphJson: graph },
  });
  const ids: string[] = [];
  for (let i = 0; i < sizes.runs; i++) {
    // Distinct inputs per run so nothing is shared through the cache.
    const g = {
      ...graph,
      nodes: graph.nodes.map((node) => ({ ...node, inputs: { text: `run ${tag} ${i} ${node.id}` } })),
    };
    ids.push((await prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: g } })).id);
  }
  return ids;
}

async function waitForRuns(prisma: Awaited<ReturnType<typeof serverDatabase>>["prisma"], ids: string[]) {
  for (;;) {
    const open = await prisma.workflowRun.count({ where: { id: { in: ids }, status: { in: ["queued", "running"] } } });
    if (open === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const failed = await prisma.workflowRun.findMany({
    where: { id: { in: ids }, status: { not: "succeeded" } },
    select: { errorSummary: true },
  });
  if (failed.length > 0) throw new Error(`${failed.length} scaling runs did not succeed: ${failed[0]?.errorSummary}`);
}
