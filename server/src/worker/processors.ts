/**
 * The job processors a worker runs, keyed by queue. Each processor is a thin delegate to a service.
 */
import type { EngineDeps } from "../engine/executor.ts";
import type { JobQueue } from "../queue/queue.ts";
import { driveExperiment } from "../services/experiment-driver.ts";
import { markExperimentLost } from "../services/experiments.ts";
import { createRunProcessor, markRunLost } from "../services/runs.ts";
import type { ProcessorMap } from "./manager.ts";

export function createProcessors(engine: EngineDeps, queue: Pick<JobQueue, "enqueue">): ProcessorMap {
  return {
    runs: {
      process: createRunProcessor(engine, queue),
      giveUp: async ({ runId }, reason) => {
        await markRunLost(engine, runId, reason);
      },
    },
    experiments: {
      process: ({ experimentId }, ctx) => driveExperiment({ ...engine, queue }, experimentId, ctx.signal),
      giveUp: async ({ experimentId }, reason) => {
        await markExperimentLost(engine, experimentId, reason);
      },
    },
  };
}
