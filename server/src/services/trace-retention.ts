/**
 * Trace retention: the events of runs that ended more than `days` ago are deleted — archived first
 * when an archive is given — a few runs per transaction, so writers (who only touch unfinished
 * runs) are never blocked and a crash leaves every run either whole or pruned. Run rows, steps and
 * totals stay; `trace_pruned_at` says when the trace went.
 */
import type { PrismaClient } from "../db/prisma.ts";
import type { TraceArchive } from "../trace/archive.ts";

type Deps = { prisma: PrismaClient };

export interface RetentionOptions {
  days: number;
  archive?: TraceArchive | null;
  /** Runs per transaction (default 50). */
  batchSize?: number;
  /** Stop after this many runs (a maintenance tick's share; default: all that are due). */
  maxRuns?: number;
  now?: Date;
}

export interface RetentionResult {
  runs: number;
  events: number;
  archived: string[];
}

const DAY_MS = 86_400_000;

export async function pruneTraces(deps: Deps, options: RetentionOptions): Promise<RetentionResult> {
  const result: RetentionResult = { runs: 0, events: 0, archived: [] };
  if (options.days <= 0) return result;
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.days * DAY_MS);
  const batchSize = options.batchSize ?? 50;
  const max = options.maxRuns ?? Number.POSITIVE_INFINITY;
  while (result.runs < max) {
    const due = await dueRuns(deps, cutoff, Math.min(batchSize, max - result.runs));
    if (due.length === 0) break;
    if (options.archive) result.archived.push(...(await archiveRuns(deps, options.archive, due)));
    result.events += await deleteEvents(
      deps,
      due.map((r) => r.id),
    );
    result.runs += due.length;
  }
  return result;
}

/** Ended runs past the cutoff whose trace is still here, oldest first (partial index on finished_at). */
function dueRuns(deps: Deps, cutoff: Date, limit: number) {
  return deps.prisma.$queryRaw<{ id: string; finished_at: Date }[]>`
    SELECT id, finished_at FROM workflow_runs
    WHERE trace_pruned_at IS NULL AND finished_at < ${cutoff} AND status IN ('succeeded', 'failed', 'canceled')
    ORDER BY finished_at LIMIT ${limit}`;
}

async function archiveRuns(deps: Deps, archive: TraceArchive, runs: { id: string; finished_at: Date }[]) {
  const files: string[] = [];
  for (const run of runs) {
    const events = await deps.prisma.traceEvent.findMany({
      where: { runId: run.id },
      orderBy: { seq: "asc" },
      select: { seq: true, ts: true, kind: true, stepId: true, payload: true },
    });
    const rows = events.map((e) => ({
      run_id: run.id,
      seq: e.seq,
      ts: e.ts,
      kind: e.kind,
      step_id: e.stepId,
      payload: e.payload,
    }));
    files.push(await archive.write({ id: run.id, finishedAt: run.finished_at }, rows));
  }
  return files;
}

/** One transaction: the runs' events go and the runs are marked, or neither. */
async function deleteEvents(deps: Deps, ids: string[]): Promise<number> {
  const [deleted] = await deps.prisma.$transaction([
    deps.prisma.traceEvent.deleteMany({ where: { runId: { in: ids } } }),
    deps.prisma.workflowRun.updateMany({ where: { id: { in: ids } }, data: { tracePrunedAt: new Date() } }),
  ]);
  return deleted.count;
}
