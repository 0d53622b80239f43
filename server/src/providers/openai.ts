/** OpenAI (and any OpenAI-compatible endpoint: vLLM, Ollama, proxies) over the official SDK, streaming. */
import OpenAI from "openai";
import { EMPTY_USAGE, type Usage } from "../domain/pricing/pricing.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { toProviderError } from "./sdk-errors.ts";
import type { LlmProvider, LlmRequest, LlmResult } from "./types.ts";

export function openAIUsage(raw: OpenAI.CompletionUsage | null | undefined): Usage {
  if (!raw) return { ...EMPTY_USAGE };
  const cached = raw.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, raw.prompt_tokens - cached),
    cachedInputTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: raw.completion_tokens,
    reasoningTokens: raw.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export function createOpenAIProvider(options: {
  name: string;
  apiKey: string;
  baseUrl?: string | null;
  simulated?: boolean;
}): LlmProvider {
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: 0, // every retry is FlowTrace's own, and visible in the trace
  });
  return {
    name: options.name,
    api: "openai",
    simulated: options.simulated ?? false,
    async complete(req: LlmRequest): Promise<LlmResult> {
      const ctx = {
        provider: options.name,
        model: req.model,
        secrets: [options.apiKey],
        ...(req.signal ? { signal: req.signal } : {}),
      };
      let text = "";
      try {
        const messages: OpenAI.ChatCompletionMessageParam[] = [];
        if (req.system) messages.push({ role: "system", content: req.system });
        messages.push({ role: "user", content: req.prompt });
        const { data: stream, request_id } = await client.chat.completions
          .create(
            {
              model: req.model,
              messages,
              max_tokens: req.maxTokens,
              ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
              stream: true,
              stream_options: { include_usage: true },
            },
            {
              timeout: req.timeoutMs,
              ...(req.signal ? { signal: req.signal } : {}),
              ...(req.headers ? { headers: req.headers } : {}),
            },
          )
          .withResponse();
        let usage: OpenAI.CompletionUsage | null = null;
        let finishReason: string | null = null;
        let model = req.model;
        for await (const chunk of stream) {
          model = chunk.model || model;
          if (chunk.usage) usage = chunk.usage;
          for (const choice of chunk.choices) {
            if (choice.finish_reason) finishReason = choice.finish_reason;
            const piece = choice.delta?.content;
            if (piece) {
              text += piece;
              req.onDelta?.(piece);
            }
          }
        }
        if (finishReason === null) {
          throw new ProviderError("connection", `${options.name} stream ended before the response finished`, {
            provider: options.name,
            model: req.model,
            partialText: text,
          });
        }
        return { text, usage: openAIUsage(usage), rawUsage: usage, requestId: request_id ?? null, finishReason, model };
      } catch (error) {
        throw toProviderError(error, { ...ctx, partialText: text });
      }
    },
  };
}
