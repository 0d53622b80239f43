/** Anthropic Messages API over the official SDK, streaming. */
import Anthropic from "@anthropic-ai/sdk";
import type { Usage } from "../domain/pricing/pricing.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { answerFromCalls, anthropicMessages, anthropicToolParams } from "./anthropic-messages.ts";
import { errorBodyFetch } from "./error-body-fetch.ts";
import { toProviderError } from "./sdk-errors.ts";
import { argumentsText, completeCall, type PartialCall } from "./tool-calls.ts";
import { type LlmProvider, type LlmRequest, type LlmResult, promptText, requestHeaders } from "./types.ts";
import { usageOrEstimate } from "./usage.ts";

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/**
 * Anthropic's classes are disjoint: `input_tokens` excludes cache reads and writes. null when the
 * stream carried no usage at all (the caller counts the tokens itself and says so).
 */
export function anthropicUsage(raw: AnthropicUsage | null): Usage | null {
  if (!raw || (raw.input_tokens == null && raw.output_tokens == null)) return null;
  return {
    inputTokens: raw.input_tokens ?? 0,
    cachedInputTokens: raw.cache_read_input_tokens ?? 0,
    cacheWriteTokens: raw.cache_creation_input_tokens ?? 0,
    outputTokens: raw.output_tokens ?? 0,
    reasoningTokens: 0,
  };
}

type MessageStream = AsyncIterable<Anthropic.Messages.RawMessageStreamEvent>;

/** What a message stream said, folded event by event. */
interface StreamState {
  text: string;
  usage: AnthropicUsage;
  finishReason: string | null;
  model: string;
  stopped: boolean;
  /** tool_use blocks by their content index, as their input's JSON arrives. */
  calls: Map<number, PartialCall>;
}

function foldBlockStart(state: StreamState, event: Anthropic.Messages.RawContentBlockStartEvent) {
  const block = event.content_block;
  if (block.type !== "tool_use") return;
  const given = block.input && Object.keys(block.input as object).length ? JSON.stringify(block.input) : "";
  state.calls.set(event.index, { id: block.id, name: block.name, json: given });
}

function foldEvent(state: StreamState, event: Anthropic.Messages.RawMessageStreamEvent, req: LlmRequest): void {
  switch (event.type) {
    case "message_start":
      state.model = event.message.model || state.model;
      Object.assign(state.usage, event.message.usage);
      break;
    case "content_block_start":
      foldBlockStart(state, event);
      break;
    case "content_block_delta":
      if (event.delta.type === "input_json_delta") {
        const call = state.calls.get(event.index);
        if (call) call.json += event.delta.partial_json;
        break;
      }
      if (event.delta.type !== "text_delta") break;
      state.text += event.delta.text;
      req.onDelta?.(event.delta.text);
      break;
    case "message_delta":
      state.finishReason = event.delta.stop_reason ?? state.finishReason;
      // message_delta carries the final cumulative counts.
      for (const [k, v] of Object.entries(event.usage ?? {})) {
        if (v !== null && v !== undefined) (state.usage as Record<string, unknown>)[k] = v;
      }
      break;
    case "message_stop":
      state.stopped = true;
      break;
  }
}

/** Reads the stream into `state` (kept by the caller, so a failure still knows the partial text). */
async function readStream(stream: MessageStream, state: StreamState, req: LlmRequest, provider: string) {
  for await (const event of stream) foldEvent(state, event, req);
  if (!state.stopped) {
    throw new ProviderError("connection", `${provider} stream ended before message_stop`, {
      provider,
      model: req.model,
      partialText: state.text,
      reason: "the stream ended before message_stop",
    });
  }
}

function messageParams(req: LlmRequest): Anthropic.Messages.MessageCreateParamsStreaming {
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    ...(req.system ? { system: req.system } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    messages: anthropicMessages(req),
    ...anthropicToolParams(req),
    stream: true,
  };
}

/** The folded stream as a result: tool calls in block order, a structured answer's forced call as text. */
function resultOf(req: LlmRequest, state: StreamState, requestId: string | null): LlmResult {
  const calls = [...state.calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => completeCall(c));
  const { text, toolCalls } = answerFromCalls(req, state.text, calls);
  const sent = { system: req.system, prompt: promptText(req), text: text + toolCalls.map(argumentsText).join("") };
  return {
    text,
    toolCalls,
    ...usageOrEstimate(anthropicUsage(state.usage), sent),
    rawUsage: state.usage,
    requestId,
    finishReason: state.finishReason,
    model: state.model,
  };
}

export function createAnthropicProvider(options: {
  name: string;
  apiKey: string;
  baseUrl?: string | null;
  simulated?: boolean;
}): LlmProvider {
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: 0,
    fetch: errorBodyFetch,
  });
  const simulated = options.simulated ?? false;
  const errorContext = (req: LlmRequest) => ({
    provider: options.name,
    model: req.model,
    api: "anthropic" as const,
    baseUrl: options.baseUrl ?? null,
    secrets: [options.apiKey],
    ...(req.signal ? { signal: req.signal } : {}),
  });
  return {
    name: options.name,
    api: "anthropic",
    simulated,
    async complete(req: LlmRequest): Promise<LlmResult> {
      const headers = requestHeaders(req, simulated);
      const state: StreamState = {
        text: "",
        usage: {},
        finishReason: null,
        model: req.model,
        stopped: false,
        calls: new Map(),
      };
      try {
        const { data: stream, request_id } = await client.messages
          .create(messageParams(req), {
            timeout: req.timeoutMs,
            ...(req.signal ? { signal: req.signal } : {}),
            ...(headers ? { headers } : {}),
          })
          .withResponse();
        await readStream(stream, state, req, options.name);
        return resultOf(req, state, request_id ?? null);
      } catch (error) {
        throw toProviderError(error, { ...errorContext(req), partialText: state.text });
      }
    },
  };
}
