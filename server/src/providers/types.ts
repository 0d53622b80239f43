/** The provider interface the engine calls; implemented on the official SDKs. */
import type { Usage } from "../domain/pricing/pricing.ts";

export interface LlmRequest {
  model: string;
  system?: string;
  prompt: string;
  temperature?: number;
  maxTokens: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with each piece of streamed text as it arrives. */
  onDelta?: (text: string) => void;
  /** Extra request headers (e.g. an idempotency key; never secrets). */
  headers?: Record<string, string>;
  /** Demo only: a fault the built-in simulator injects (node.config.fault); other providers never see it. */
  fault?: string;
}

/** Header carrying a node's demo fault to the simulator, e.g. `status=500;count=2` (sent to it only). */
export const FAULT_HEADER = "x-flowtrace-sim-fault";

/** The request headers of a call: its own, plus the demo fault when the provider is the simulator. */
export function requestHeaders(req: LlmRequest, simulated: boolean): Record<string, string> | undefined {
  if (!(simulated && req.fault)) return req.headers;
  return { ...req.headers, [FAULT_HEADER]: req.fault };
}

/** Where a call's token counts come from: the provider's report, or FlowTrace's tokenizer when it sent none. */
export type UsageSource = "provider" | "estimated";

export interface LlmResult {
  text: string;
  usage: Usage;
  usageSource: UsageSource;
  /** Why the usage is estimated (set when `usageSource` is "estimated"). */
  usageNote?: string;
  /** Exactly as the provider reported it, for the trace. */
  rawUsage: unknown;
  requestId: string | null;
  finishReason: string | null;
  /** The model the provider says answered. */
  model: string;
}

export interface LlmProvider {
  /** openai, anthropic, or the configured name of an OpenAI-compatible endpoint. */
  readonly name: string;
  readonly api: "openai" | "anthropic";
  /** True when calls go to FlowTrace's built-in simulator. */
  readonly simulated: boolean;
  /** Set when the provider cannot be called, saying why (e.g. "not configured: set ANTHROPIC_API_KEY"). */
  readonly unavailable?: string;
  complete(request: LlmRequest): Promise<LlmResult>;
}
