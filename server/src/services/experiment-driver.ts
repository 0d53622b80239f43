/**
 * The experiment job: start the items' runs as ordinary runs (`triggered_by: "experiment"`), at most
 * `concurrency` in flight, score each run once it ends, and finish when every item is scored.
 *
 * Everything it knows lives in the database, so a crash resumes where it was: an item is claimed
 * (pending → running with its run id) in the same transaction that creates its run, so a second
 * driver (a stalled job taken over) can never start an item twice; a run in flight is waited for,
 * never restarted (the runs queue resumes it); a scored item is never scored again.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { type NamedScorer, nameScorers, type ScoredRun, scorersSchema } from "../domain/eval/scorers.ts";
import { HandoffError } from "../domain/handoff.ts";
import type { EngineDeps } from "../engine/deps.ts";
import { scoreItem } from "../engine/scoring.ts";
import type { JobQueue } from "../queue/queue.ts";
import { lastOutput } from "./datasets.ts";
import { activeLatencyMs } from "./experiments.ts";

export interface DriverDeps extends Pick<EngineDeps, "prisma" | "providers" | "prices" | "logger"> {
  queue: Pick<JobQueue, "enqueue">;
  /** How often the driver looks at its runs (default 100 ms). */
  pollMs?: number;
}

const TERMINAL = ["succeeded", "failed", "canceled"] as const;

export async function driveExperiment(deps: DriverDeps, experimentId: string, signal: AbortSignal): Promise<void> {
  const experiment = await begin(deps.prisma, experimentId);
  if (!experiment) return;
  const scorers = nameScorers(scorersSchema.parse(experiment.scorers));
  for (;;) {
    if (signal.aborted) throw new HandoffError();
    const status = await deps.prisma.experiment.findUnique({ where: { id: experimentId }, select: { status: true } });
    if (status?.status !== "running") return; // canceled (or deleted) meanwhile
    await scoreFinished(deps, experimentId, scorers);
    const counts = await itemCounts(deps.prisma, experimentId);
    if (counts.running === 0 && counts.pending === 0) return finish(deps.prisma, experimentId);
    const free = experiment.concurrency - counts.running;
    if (free > 0 && counts.pending > 0) await startItems(deps, experiment, free);
    await pause(deps.pollMs ?? 100, signal);
  }
}

/** The experiment, now running; null when it has already ended (nothing to do). */
async function begin(prisma: PrismaClient, id: string) {
  await prisma.experiment.updateMany({
    where: { id, status: "queued" },
    data: { status: "running", startedAt: new Date() },
  });
  const experiment = await prisma.experiment.findUnique({ where: { id } });
  return experiment?.status === "running" ? experiment : null;
}

async function finish(prisma: PrismaClient, id: string) {
  await prisma.experiment.updateMany({
    where: { id, status: "running" },
    data: { status: "succeeded", finishedAt: new Date() },
  });
}

async function itemCounts(prisma: PrismaClient, experimentId: string) {
  const groups = await prisma.experimentItem.groupBy({
    by: ["status"],
    where: { experimentId },
    _count: { _all: true },
  });
  const of = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  return { pending: of("pending"), running: of("running") };
}

type Claimable = { id: string; workflowId: string; graphSnapshot: unknown; workflowVersion: number };

/** Claim up to `n` pending items, each with a new run in one transaction, then enqueue the runs. */
async function startItems(deps: DriverDeps, experiment: Claimable, n: number) {
  const pending = await deps.prisma.experimentItem.findMany({
    where: { experimentId: experiment.id, status: "pending" },
    orderBy: { position: "asc" },
    take: n,
  });
  for (const item of pending) {
    const runId = await claim(deps.prisma, experiment, item);
    // A queue away for a moment: the run stays queued and the stale-run sweep hands it over.
    if (runId) await deps.queue.enqueue("runs", { runId }, { jobId: runId }).catch(() => undefined);
  }
}

async function claim(prisma: PrismaClient, experiment: Claimable, item: { id: string; inputVars: unknown }) {
  return prisma
    .$transaction(async (tx) => {
      const run = await tx.workflowRun.create({
        data: {
          workflowId: experiment.workflowId,
          triggeredBy: "experiment",
          inputVars: item.inputVars as object,
          graphSnapshot: experiment.graphSnapshot as object,
          workflowVersion: experiment.workflowVersion,
        },
      });
      const claimed = await tx.experimentItem.updateMany({
        where: { id: item.id, status: "pending" },
        data: { status: "running", runId: run.id },
      });
      if (claimed.count !== 1) throw new AlreadyClaimed();
      return run.id;
    })
    .catch((error) => (error instanceof AlreadyClaimed ? null : Promise.reject(error)));
}

class AlreadyClaimed extends Error {}

/** Score every running item whose run has ended (or whose run was deleted). */
async function scoreFinished(deps: DriverDeps, experimentId: string, scorers: NamedScorer[]) {
  const done = await deps.prisma.experimentItem.findMany({
    where: {
      experimentId,
      status: "running",
      OR: [{ runId: null }, { run: { status: { in: [...TERMINAL] } } }],
    },
    include: { run: true },
  });
  await Promise.all(done.map((item) => scoreOne(deps, item, scorers)));
}

type RunRow = NonNullable<Awaited<ReturnType<PrismaClient["workflowRun"]["findUnique"]>>>;

async function scoreOne(
  deps: DriverDeps,
  item: { id: string; expected: unknown; run: RunRow | null },
  scorers: NamedScorer[],
) {
  const outputs = new Map<string, unknown>();
  for (const node of new Set(["", ...scorers.map((s) => s.node ?? "")])) {
    outputs.set(node, item.run ? await lastOutput(deps, item.run.id, node || undefined) : undefined);
  }
  const toolCalls = item.run ? await toolCallsOf(deps, item.run.id) : [];
  const scoring = await scoreItem(deps, scorers, (s) => ({
    ...scoredRun(item.run, item.expected, outputs.get(s.node ?? "")),
    toolCalls,
  }));
  await deps.prisma.experimentItem.updateMany({
    where: { id: item.id, status: "running" },
    data: {
      status: "scored",
      scoredAt: new Date(),
      passed: scoring.passed,
      scores: scoring.scores as object[],
      ...(outputs.get("") !== undefined ? { output: outputs.get("") as object } : {}),
      judgeTokens: scoring.judgeTokens,
      judgeCostCents: scoring.judgeCost.toString(),
      judgeCostComplete: scoring.judgeCostComplete,
    },
  });
}

/** The tool calls the run's agents made, in order (what `tool_called` and `trajectory` scorers read). */
async function toolCallsOf(deps: DriverDeps, runId: string) {
  const requests = await deps.prisma.traceEvent.findMany({
    where: { runId, kind: "tool.request" },
    orderBy: { seq: "asc" },
    select: { payload: true },
  });
  return requests
    .map((r) => r.payload as { tool?: unknown; name?: unknown; args?: unknown; toolCallId?: unknown })
    .filter((p) => typeof p.toolCallId === "string")
    .map((p) => ({ name: String(p.name ?? p.tool), tool: String(p.tool), args: p.args }));
}

function scoredRun(run: RunRow | null, expected: unknown, output: unknown): ScoredRun {
  if (!run) {
    return {
      status: "failed",
      error: "the run was deleted",
      output: undefined,
      outputPresent: false,
      expected,
      costCents: null,
      latencyMs: null,
    };
  }
  return {
    status: run.status,
    error: run.errorSummary,
    output,
    outputPresent: output !== undefined,
    expected,
    costCents: run.costComplete ? run.totalCostCents.toString() : null,
    latencyMs: activeLatencyMs(run),
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
