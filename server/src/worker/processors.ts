/**
 * The job processors a worker runs, keyed by queue. Each processor is a thin delegate to a service.
 * The `runs` processor (workflow execution) is registered here by the execution engine.
 */
import type { Resources } from "../resources.ts";
import type { ProcessorMap } from "./manager.ts";

export function createProcessors(_resources: Resources): ProcessorMap {
  return {};
}
