/**
 * The executor role, the same wherever it runs (a worker process, or the API in embedded mode or
 * with FLOWTRACE_INLINE_WORKER): execute queued runs, every minute reap runs whose executor was
 * lost and hand back to the queue runs it forgot (a Redis that restarted empty), and every few
 * seconds resolve approvals past their deadline; every second send due alert deliveries. The maintenance is
 * scheduled on the queue, so it runs once a minute however many workers there are.
 */
import type { EngineDeps } from "../engine/deps.ts";
import type { Logger } from "../observability/logger.ts";
import type { Resources } from "../resources.ts";
import { deliverDueAlerts } from "../services/alert-delivery.ts";
import { resolveExpiredApprovals } from "../services/approvals.ts";
import { requeueUnfinishedExperiments } from "../services/experiments.ts";
import { reapDeadRuns, requeueStaleQueuedRuns, requeueUnfinishedRuns } from "../services/runs.ts";
import { pruneTraces } from "../services/trace-retention.ts";
import { jsonlArchive } from "../trace/archive.ts";
import type { WorkerManager } from "./manager.ts";
import { createProcessors } from "./processors.ts";

export const MAINTENANCE_INTERVAL_MS = 60_000;
/** How often trace retention runs, and how many runs' traces one pass prunes at most. */
export const RETENTION_INTERVAL_MS = 10 * 60_000;
const RETENTION_RUNS_PER_PASS = 5_000;
/** How often approval deadlines are checked: a timeout resolves at most this late. */
export const APPROVAL_SWEEP_INTERVAL_MS = 5_000;
/** How often due alert deliveries (and their retries) are sent. */
export const ALERT_SWEEP_INTERVAL_MS = 1_000;

export async function startExecutorRole(
  workers: WorkerManager,
  engine: EngineDeps,
  resources: Pick<Resources, "db" | "pubsub" | "queue">,
  options: {
    concurrency: number;
    logger: Logger;
    approvalSweepMs?: number;
    /** FLOWTRACE_TRACE_RETENTION_DAYS (0: off) and FLOWTRACE_TRACE_ARCHIVE_DIR. */
    retention?: { days: number; archiveDir: string | null };
  },
): Promise<void> {
  const { logger } = options;
  const prisma = resources.db.prisma;
  await workers.every("reap-dead-runs", MAINTENANCE_INTERVAL_MS, async () => {
    const reaped = await reapDeadRuns({ prisma, pubsub: resources.pubsub });
    if (reaped.length) logger.warn({ runs: reaped }, "reaped runs whose executor was lost");
  });
  await workers.every("requeue-stale-runs", MAINTENANCE_INTERVAL_MS, async () => {
    // A Redis that restarted empty forgot their jobs; the run id is the job id, so no duplicates.
    const requeued = await requeueStaleQueuedRuns({ prisma, queue: resources.queue });
    if (requeued.length) logger.info({ runs: requeued }, "queued runs handed to the queue again");
    await requeueUnfinishedExperiments({ prisma, queue: resources.queue });
  });
  await workers.every("resolve-approval-timeouts", options.approvalSweepMs ?? APPROVAL_SWEEP_INTERVAL_MS, async () => {
    const resolved = await resolveExpiredApprovals({ prisma, queue: resources.queue });
    if (resolved.length) logger.info({ approvals: resolved }, "approvals past their deadline resolved");
  });
  await workers.every("deliver-alerts", ALERT_SWEEP_INTERVAL_MS, async () => {
    // Webhooks go out under the fetch tool's rules: an internal address needs FLOWTRACE_FETCH_ALLOW.
    await deliverDueAlerts(prisma, { allow: engine.fetchAllow });
  });
  const retention = options.retention;
  if (retention && retention.days > 0) {
    const archive = retention.archiveDir ? jsonlArchive(retention.archiveDir) : null;
    await workers.every("prune-traces", RETENTION_INTERVAL_MS, async () => {
      const pruned = await pruneTraces({ prisma }, { days: retention.days, archive, maxRuns: RETENTION_RUNS_PER_PASS });
      if (pruned.runs)
        logger.info(
          { runs: pruned.runs, events: pruned.events, archived: pruned.archived.length },
          "trace retention pruned old runs' events",
        );
    });
  }
  // Last, so "worker started" is said once everything is in place (a shutdown may come right after).
  workers.start(createProcessors(engine, resources.queue), options.concurrency);
  if (resources.queue.kind === "embedded") {
    // The in-process queue did not survive the last stop; the database knows what was unfinished.
    const requeued = await requeueUnfinishedRuns({ prisma, queue: resources.queue });
    if (requeued.length) logger.info({ runs: requeued }, "resuming runs left unfinished by the previous process");
    const experiments = await requeueUnfinishedExperiments({ prisma, queue: resources.queue });
    if (experiments.length)
      logger.info({ experiments }, "resuming experiments left unfinished by the previous process");
  }
}
