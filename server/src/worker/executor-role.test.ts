import { describe, expect, it } from "vitest";
import type { EngineDeps } from "../engine/deps.ts";
import { createLogger } from "../observability/logger.ts";
import type { Resources } from "../resources.ts";
import {
  ALERT_SWEEP_INTERVAL_MS,
  APPROVAL_SWEEP_INTERVAL_MS,
  MAINTENANCE_INTERVAL_MS,
  startExecutorRole,
} from "./executor-role.ts";
import type { WorkerManager } from "./manager.ts";

function recordingWorkers() {
  const started: number[] = [];
  const tasks: [string, number][] = [];
  const workers = {
    start: (_processors: unknown, concurrency: number) => started.push(concurrency),
    every: (name: string, ms: number) => tasks.push([name, ms]),
  } as unknown as WorkerManager;
  return { workers, started, tasks };
}

function resources(kind: "embedded" | "redis", unfinished: string[], experiments: string[] = []) {
  const enqueued: string[] = [];
  const r = {
    db: {
      prisma: {
        workflowRun: { findMany: async () => unfinished.map((id) => ({ id })) },
        experiment: { findMany: async () => experiments.map((id) => ({ id })) },
      },
    },
    pubsub: {},
    queue: {
      kind,
      enqueue: async (q: string, data: { runId?: string; experimentId?: string }) =>
        void enqueued.push(`${q}:${data.runId ?? data.experimentId}`),
    },
  } as unknown as Pick<Resources, "db" | "pubsub" | "queue">;
  return { r, enqueued };
}

const logger = createLogger({ level: "silent" });

describe("the executor role", () => {
  it("executes runs and keeps the same minute-by-minute maintenance in every process", async () => {
    const { workers, started, tasks } = recordingWorkers();
    const { r, enqueued } = resources("redis", ["a"]);
    await startExecutorRole(workers, {} as EngineDeps, r, { concurrency: 7, logger });
    expect(started).toEqual([7]);
    expect(tasks).toEqual([
      ["reap-dead-runs", MAINTENANCE_INTERVAL_MS],
      ["requeue-stale-runs", MAINTENANCE_INTERVAL_MS],
      ["resolve-approval-timeouts", APPROVAL_SWEEP_INTERVAL_MS],
      ["deliver-alerts", ALERT_SWEEP_INTERVAL_MS],
    ]);
    expect(enqueued).toEqual([]); // a Redis queue kept its jobs
  });

  it("on the in-process queue, resumes the runs and experiments the previous process left unfinished", async () => {
    const { workers } = recordingWorkers();
    const { r, enqueued } = resources("embedded", ["r1", "r2"], ["e1"]);
    await startExecutorRole(workers, {} as EngineDeps, r, { concurrency: 1, logger });
    expect(enqueued).toEqual(["runs:r1", "runs:r2", "experiments:e1"]);
  });
});
