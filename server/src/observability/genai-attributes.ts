/**
 * Span attributes by the OpenTelemetry GenAI semantic conventions (as published in
 * @opentelemetry/semantic-conventions 1.45.0, incubating: gen_ai.provider.name, …) and FlowTrace's own
 * (flowtrace.*), from the recorded event payloads. Usage is normalised to the convention:
 * `gen_ai.usage.input_tokens` counts every prompt token — cached reads and cache writes included,
 * which Anthropic reports apart.
 */
import type { Attributes } from "@opentelemetry/api";
import { scrubSecrets } from "../domain/secrets/scrub.ts";

/** What a run span says of its run (loaded once per run by the projector). */
export interface RunInfo {
  workflowId: string;
  workflowName: string;
  workflowVersion: number | null;
  startedAt: Date | null;
  traceParent: string | null;
  traceState: string | null;
  /** The end user and session the run was for (OpenTelemetry `user.id`, `session.id`), and its tags. */
  endUserId?: string | null;
  /** The run's project (the `project` label of /metrics). */
  projectName?: string;
  sessionId?: string | null;
  tags?: string[];
}

type P = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" ? v : 0);

function usageAttributes(usage: P | undefined): Attributes {
  if (!usage) return {};
  const cacheRead = num(usage.cachedInputTokens);
  const cacheWrite = num(usage.cacheWriteTokens);
  return {
    "gen_ai.usage.input_tokens": num(usage.inputTokens) + cacheRead + cacheWrite,
    "gen_ai.usage.output_tokens": num(usage.outputTokens),
    "gen_ai.usage.cache_read.input_tokens": cacheRead,
    "gen_ai.usage.cache_creation.input_tokens": cacheWrite,
    "gen_ai.usage.reasoning.output_tokens": num(usage.reasoningTokens),
  };
}

/** A provider attempt (`chat {model}`): the request's settings, the answer's model, id, usage and cost. */
export function chatAttributes(
  request: P | undefined,
  end: P,
  failed: boolean,
  serverAddress: string | undefined,
): Attributes {
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": String(end.provider),
    "gen_ai.request.model": String(end.model),
    "flowtrace.attempt": num(end.attempt),
    ...(serverAddress ? { "server.address": serverAddress } : {}),
    ...(typeof request?.temperature === "number" ? { "gen_ai.request.temperature": request.temperature } : {}),
    ...(typeof request?.maxTokens === "number" ? { "gen_ai.request.max_tokens": request.maxTokens } : {}),
  };
  if (failed) {
    return {
      ...attributes,
      "error.type": String(end.kind),
      ...(typeof end.status === "number" ? { "http.response.status_code": end.status } : {}),
    };
  }
  return {
    ...attributes,
    "gen_ai.response.model": String(end.responseModel ?? end.model),
    ...(typeof end.requestId === "string" ? { "gen_ai.response.id": end.requestId } : {}),
    ...(typeof end.finishReason === "string" ? { "gen_ai.response.finish_reasons": [end.finishReason] } : {}),
    ...usageAttributes(end.usage as P | undefined),
    "flowtrace.usage.source": String(end.usageSource ?? "provider"),
    ...(typeof end.costCents === "string" ? { "flowtrace.cost.usd": Number(end.costCents) / 100 } : {}),
  };
}

const text = (content: string, secrets: readonly string[]) => [
  { type: "text", content: scrubSecrets(content, secrets) },
];

/** Prompt and completion (FLOWTRACE_OTEL_CAPTURE_CONTENT=1 only), as the convention's message JSON. */
export function contentAttributes(request: P | undefined, end: P, secrets: readonly string[]): Attributes {
  const input = [
    ...(typeof request?.system === "string" ? [{ role: "system", parts: text(request.system, secrets) }] : []),
    ...(typeof request?.prompt === "string" ? [{ role: "user", parts: text(request.prompt, secrets) }] : []),
  ];
  const output =
    typeof end.text === "string"
      ? [{ role: "assistant", parts: text(end.text, secrets), finish_reason: String(end.finishReason ?? "stop") }]
      : [];
  return {
    ...(input.length ? { "gen_ai.input.messages": JSON.stringify(input) } : {}),
    ...(output.length ? { "gen_ai.output.messages": JSON.stringify(output) } : {}),
  };
}

export function runAttributes(runId: string, info: RunInfo, end: P): Attributes {
  return {
    "gen_ai.operation.name": "invoke_workflow",
    "gen_ai.workflow.name": info.workflowName,
    "flowtrace.run.id": runId,
    "flowtrace.workflow.id": info.workflowId,
    ...(info.workflowVersion !== null ? { "flowtrace.workflow.version": info.workflowVersion } : {}),
    ...(info.endUserId ? { "user.id": info.endUserId } : {}),
    ...(info.sessionId ? { "session.id": info.sessionId } : {}),
    ...(info.tags?.length ? { "flowtrace.run.tags": info.tags } : {}),
    "flowtrace.run.status": String(end.status),
    "flowtrace.cost.usd": Number(end.totalCostCents ?? 0) / 100,
    "flowtrace.cost.complete": end.costComplete !== false,
    "flowtrace.run.tokens": num(end.totalTokens),
    ...(end.status !== "succeeded" ? { "error.type": end.status === "canceled" ? "canceled" : "run_failed" } : {}),
  };
}
