/** Complete, typed trace payloads for tests that care about one or two fields. */
import type { TracePayload } from "../../src/domain/trace/events.ts";

export const llmResponsePayload = (text: string): TracePayload<"llm.response"> => ({
  provider: "openai",
  model: "gpt-4o-mini",
  responseModel: "gpt-4o-mini",
  priceKey: "openai/gpt-4o-mini",
  text,
  usage: { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 },
  usageSource: "provider",
  rawUsage: null,
  costCents: "0.00045",
  latencyMs: 12,
  requestId: null,
  finishReason: "stop",
  attempt: 1,
  simulated: true,
});

export const stepFinishedPayload = (nodeId: string): TracePayload<"step.finished"> => ({
  nodeId,
  output: null,
  latencyMs: 1,
  tokensInput: 0,
  tokensOutput: 0,
  tokensReasoning: 0,
  usageSource: "provider",
  costCents: "0",
  cached: false,
  activeEdges: [],
});

export const runStartedPayload = (): TracePayload<"run.started"> => ({
  workflowId: "00000000-0000-4000-8000-000000000000",
  inputVars: {},
  nodes: [],
  parallel: false,
  simulated: true,
  limits: {},
});
