/** What a step runner gets: the run's trace recorder, budget, providers and cancellation signal. */
import type { PrismaClient } from "../db/prisma.ts";
import type { Cents } from "../domain/pricing/money.ts";
import type { PriceMap } from "../domain/pricing/pricing.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import type { LlmResult, UsageSource } from "../providers/types.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import type { TraceRecorder } from "../trace/recorder.ts";
import type { RunBudget } from "./budget.ts";
import type { EngineMcp } from "./deps.ts";
import type { LlmStore } from "./kinds/llm/store.ts";
import type { ReplayBook } from "./replay.ts";
import type { RunSecrets } from "./run-secrets.ts";
import type { SingleFlight } from "./single-flight.ts";

export interface StepContext {
  stepId: string;
  /** The run's id (idempotency keys for provider calls derive from it). */
  runId: string;
  /** True when this execution resumes a run another executor had started (look for recorded work first). */
  resuming: boolean;
  recorder: TraceRecorder;
  budget: RunBudget;
  prisma: PrismaClient;
  /** The LLM kind's cache and crash-resume journal. */
  llmStore: LlmStore;
  providers: ProviderRegistry;
  prices: PriceMap;
  bindings: ReadonlyMap<string, { model: string; temperature: number | null }>;
  fetchAllow: readonly string[];
  signal: AbortSignal;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  /** Identical LLM calls in flight share one provider call. */
  singleFlight: SingleFlight<LlmResult>;
  /** False in a re-run that means "call again": the exact-match cache is written, not read. */
  cacheRead: boolean;
  /** The run's trace: provider calls carry a `traceparent` naming their attempt span. */
  trace?: { traceId: string; flags: number };
  /** Throws when the run's project may not spend more (a hard budget used up). */
  spendGuard: () => Promise<void>;
  /** A replay: every request is answered from this recording, or the step fails. */
  replay?: ReplayBook;
  /** The project's secrets: filled in at call time, scrubbed from whatever a call returns or throws. */
  secrets: RunSecrets;
  /** When the run started (a code step's fixed clock). */
  runStartedAt: Date;
  /** Where code steps' JavaScript runs. */
  sandbox: Sandbox;
  /** The run's project (its MCP servers and secrets). */
  projectId: string;
  /** The project's MCP servers, or null where this process has none configured. */
  mcp: EngineMcp | null;
  /** Execute a sub-workflow's run here, inline (started or resumed); its status when it stops. */
  runChild: (runId: string) => Promise<string>;
}

export interface StepResult {
  output: unknown;
  tokensInput: number;
  tokensOutput: number;
  /** Reasoning tokens (part of tokensOutput); 0 when the model reports none. */
  tokensReasoning?: number;
  /** null when the model has no known price. */
  cost: Cents | null;
  cached: boolean;
  /** "estimated" when the provider reported no usage and the tokens were counted here; default "provider". */
  usageSource?: UsageSource;
  /** An LLM step: the "provider/model" whose answer (and price) the step took. */
  model?: string;
  /** A cache hit: what the original call cost; null when it was unpriced. */
  savedCostCents?: string | null;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
