/** What the LLM wing reads of its step: no database handle, so the chain runs in a unit test. */
import type { StepRecorder } from "../../../trace/recorder.ts";
import type { StepContext } from "../../step-context.ts";
import type { LlmStore } from "./store.ts";

export type LlmContext = Pick<
  StepContext,
  | "stepId"
  | "runId"
  | "resuming"
  | "budget"
  | "providers"
  | "prices"
  | "bindings"
  | "signal"
  | "sleep"
  | "random"
  | "singleFlight"
  | "cacheRead"
  | "trace"
  | "replay"
  | "spendGuard"
> & { recorder: StepRecorder; llmStore: LlmStore };
