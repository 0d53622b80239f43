/** A run as its graph nodes see it: LangGraph's state channels and the execution's context. */
import { Annotation } from "@langchain/langgraph";
import type { NodeOutcome } from "../domain/workflow/compile.ts";
import type { TraceRecorder } from "../trace/recorder.ts";
import type { EngineDeps } from "./deps.ts";
import type { LlmStore } from "./kinds/llm/store.ts";
import type { PreparedRun } from "./run-preparation.ts";
import type { RunSecrets } from "./run-secrets.ts";
import type { RunSignals } from "./run-signals.ts";

interface Outcome {
  status: NodeOutcome;
  active: number[];
}

export const RunState = Annotation.Root({
  outputs: Annotation<Record<string, unknown>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  outcomes: Annotation<Record<string, Outcome>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
});
export type State = typeof RunState.State;

export interface RunContext {
  deps: EngineDeps;
  runId: string;
  /** This execution resumes a run another executor had started. */
  resuming: boolean;
  recorder: TraceRecorder;
  prepared: PreparedRun;
  signals: RunSignals;
  /** The LLM kind's cache and crash-resume journal, on this run's database. */
  llmStore: LlmStore;
  /** The project's secrets, filled in at call time and scrubbed from what comes back. */
  secrets: RunSecrets;
}
