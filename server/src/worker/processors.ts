/**
 * The job processors a worker runs, keyed by queue. Each processor is a thin delegate to a service.
 */
import type { EngineDeps } from "../engine/executor.ts";
import { createRunProcessor, markRunLost } from "../services/runs.ts";
import type { ProcessorMap } from "./manager.ts";

export function createProcessors(engine: EngineDeps): ProcessorMap {
  return {
    runs: {
      process: createRunProcessor(engine),
      giveUp: async ({ runId }, reason) => {
        await markRunLost(engine, runId, reason);
      },
    },
  };
}
