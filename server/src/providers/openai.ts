/** OpenAI (and any OpenAI-compatible endpoint: vLLM, Ollama, proxies) over the official SDK, streaming. */
import OpenAI from "openai";
import type { Usage } from "../domain/pricing/pricing.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { isReasoningModel } from "../domain/providers/models.ts";
import { errorBodyFetch } from "./error-body-fetch.ts";
import { openAIMessages, openAIToolParams } from "./openai-messages.ts";
import { toProviderError } from "./sdk-errors.ts";
import { argumentsText, completeCall, type PartialCall } from "./tool-calls.ts";
import { type LlmProvider, type LlmRequest, type LlmResult, promptText, requestHeaders } from "./types.ts";
import { usageOrEstimate } from "./usage.ts";

/** null: the response carried no usage (the caller counts the tokens itself and says so). */
export function openAIUsage(raw: OpenAI.CompletionUsage | null | undefined): Usage | null {
  if (!raw) return null;
  const cached = raw.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, (raw.prompt_tokens ?? 0) - cached),
    cachedInputTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: raw.completion_tokens ?? 0,
    reasoningTokens: raw.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/**
 * Which request field caps the answer. OpenAI's reasoning models (o1, o3, o4-mini…, gpt-5…) reject
 * `max_tokens` and want `max_completion_tokens`; other models and many OpenAI-compatible servers
 * (older vLLM, some proxies) know only `max_tokens`. `auto` decides by the model's name.
 */
export type TokenParam = "auto" | "max_tokens" | "max_completion_tokens";

export function maxTokensField(param: TokenParam, model: string, maxTokens: number) {
  const field = param === "auto" ? (isReasoningModel(model) ? "max_completion_tokens" : "max_tokens") : param;
  return field === "max_completion_tokens" ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens };
}

interface StreamedAnswer {
  text: string;
  usage: OpenAI.CompletionUsage | null;
  finishReason: string | null;
  model: string;
  /** Tool calls by their index in the answer, as their pieces arrive. */
  calls: PartialCall[];
}

function foldToolCallDeltas(answer: StreamedAnswer, deltas: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[]) {
  for (const d of deltas) {
    const call = answer.calls[d.index] ?? { id: "", name: "", json: "" };
    answer.calls[d.index] = call;
    if (d.id) call.id = d.id;
    if (d.function?.name) call.name += d.function.name;
    if (d.function?.arguments) call.json += d.function.arguments;
  }
}

async function readStream(
  stream: AsyncIterable<OpenAI.ChatCompletionChunk>,
  req: LlmRequest,
  answer: StreamedAnswer,
): Promise<void> {
  for await (const chunk of stream) {
    answer.model = chunk.model || answer.model;
    if (chunk.usage) answer.usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      if (choice.finish_reason) answer.finishReason = choice.finish_reason;
      if (choice.delta?.tool_calls) foldToolCallDeltas(answer, choice.delta.tool_calls);
      const piece = choice.delta?.content;
      if (piece) {
        answer.text += piece;
        req.onDelta?.(piece);
      }
    }
  }
}

/** The chat completion as a stream of chunks (usage included in the last one). */
async function startStream(
  client: OpenAI,
  req: LlmRequest,
  tokenParam: TokenParam,
  headers: Record<string, string> | undefined,
) {
  const { data, request_id } = await client.chat.completions
    .create(
      {
        model: req.model,
        messages: openAIMessages(req),
        ...openAIToolParams(req),
        ...maxTokensField(tokenParam, req.model, req.maxTokens),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        stream: true,
        stream_options: { include_usage: true },
      },
      { timeout: req.timeoutMs, ...(req.signal ? { signal: req.signal } : {}), ...(headers ? { headers } : {}) },
    )
    .withResponse();
  return { stream: data, requestId: request_id ?? null };
}

/** The streamed answer as a result; a stream that ended without a finish reason is a broken connection. */
function finished(provider: string, req: LlmRequest, answer: StreamedAnswer, requestId: string | null): LlmResult {
  if (answer.finishReason === null) {
    throw new ProviderError("connection", `${provider} stream ended before the response finished`, {
      provider,
      model: req.model,
      partialText: answer.text,
      reason: "the stream ended before the response finished",
    });
  }
  const toolCalls = answer.calls.filter(Boolean).map(completeCall);
  const sent = {
    system: req.system,
    prompt: promptText(req),
    text: answer.text + toolCalls.map(argumentsText).join(""),
  };
  return {
    text: answer.text,
    toolCalls,
    ...usageOrEstimate(openAIUsage(answer.usage), sent),
    rawUsage: answer.usage,
    requestId,
    finishReason: answer.finishReason,
    model: answer.model,
  };
}

export function createOpenAIProvider(options: {
  name: string;
  apiKey: string;
  baseUrl?: string | null;
  simulated?: boolean;
  tokenParam?: TokenParam;
}): LlmProvider {
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: 0, // every retry is FlowTrace's own, and visible in the trace
    fetch: errorBodyFetch,
  });
  const tokenParam = options.tokenParam ?? "auto";
  const simulated = options.simulated ?? false;
  return {
    name: options.name,
    api: "openai",
    simulated,
    async complete(req: LlmRequest): Promise<LlmResult> {
      const headers = requestHeaders(req, simulated);
      const ctx = {
        provider: options.name,
        model: req.model,
        api: "openai" as const,
        baseUrl: options.baseUrl ?? null,
        secrets: [options.apiKey],
        ...(req.signal ? { signal: req.signal } : {}),
      };
      const answer: StreamedAnswer = { text: "", usage: null, finishReason: null, model: req.model, calls: [] };
      try {
        const { stream, requestId } = await startStream(client, req, tokenParam, headers);
        await readStream(stream, req, answer);
        return finished(options.name, req, answer, requestId);
      } catch (error) {
        throw toProviderError(error, { ...ctx, partialText: answer.text });
      }
    },
  };
}
