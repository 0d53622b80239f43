/**
 * Cost per token class, proven on the usage objects the vendors' API references show, streamed to
 * the real SDKs by a scripted HTTP server. Each bug peers shipped has a row that catches it:
 * cached tokens billed on top of input, cache writes billed twice (or as plain input), reasoning
 * tokens dropped or added on top of output, and Anthropic's streamed usage (message_start +
 * message_delta) summed instead of taken as the final count.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PriceMap, type Usage } from "../domain/pricing/pricing.ts";
import { createAnthropicProvider } from "./anthropic.ts";
import { createOpenAIProvider } from "./openai.ts";

let script = "";
let server: http.Server;
let url = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(script);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const prices = PriceMap.defaults();

/** An OpenAI chat.completions stream: one text chunk, the finish, then the usage chunk. */
function openaiStream(model: string, usage: Record<string, unknown>): string {
  const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model };
  const chunk = (extra: Record<string, unknown>) => `data: ${JSON.stringify({ ...base, ...extra })}\n\n`;
  return (
    chunk({ choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }] }) +
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }) +
    chunk({ choices: [], usage }) +
    "data: [DONE]\n\n"
  );
}

/** An Anthropic Messages stream with the usage in message_start and the final counts in message_delta. */
function anthropicStream(model: string, start: Record<string, unknown>, delta: Record<string, unknown>): string {
  const ev = (name: string, data: Record<string, unknown>) =>
    `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  return (
    ev("message_start", {
      message: { id: "msg_1", type: "message", role: "assistant", model, content: [], stop_reason: null, usage: start },
    }) +
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Hi" } }) +
    ev("content_block_stop", { index: 0 }) +
    ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: delta }) +
    ev("message_stop", {})
  );
}

interface Row {
  name: string;
  provider: "openai" | "anthropic";
  model: string;
  stream: string;
  usage: Usage;
  /** Hand-computed from the list price: Σ tokens × USD per 1M, in cents. */
  cents: string;
}

const rows: Row[] = [
  {
    name: "OpenAI prompt caching: cached_tokens are part of prompt_tokens, billed at the cached rate only",
    provider: "openai",
    model: "gpt-4o-mini",
    stream: openaiStream("gpt-4o-mini", {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    }),
    usage: { inputTokens: 86, cachedInputTokens: 1920, cacheWriteTokens: 0, outputTokens: 300, reasoningTokens: 0 },
    // 86 × 0.15 + 1920 × 0.075 + 300 × 0.60 = 336.9 µUSD
    cents: "0.03369",
  },
  {
    name: "OpenAI gpt-4.1-mini caching (a 4,096-token cached prefix)",
    provider: "openai",
    model: "gpt-4.1-mini",
    stream: openaiStream("gpt-4.1-mini", {
      prompt_tokens: 5000,
      completion_tokens: 100,
      total_tokens: 5100,
      prompt_tokens_details: { cached_tokens: 4096 },
      completion_tokens_details: { reasoning_tokens: 0 },
    }),
    usage: { inputTokens: 904, cachedInputTokens: 4096, cacheWriteTokens: 0, outputTokens: 100, reasoningTokens: 0 },
    // 904 × 0.40 + 4096 × 0.10 + 100 × 1.60 = 931.2 µUSD
    cents: "0.09312",
  },
  {
    name: "OpenAI reasoning: reasoning_tokens are inside completion_tokens, billed once as output",
    provider: "openai",
    model: "o3",
    stream: openaiStream("o3", {
      prompt_tokens: 25,
      completion_tokens: 1843,
      total_tokens: 1868,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 1024 },
    }),
    usage: { inputTokens: 25, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1843, reasoningTokens: 1024 },
    // 25 × 2.00 + 1843 × 8.00 = 14,794 µUSD
    cents: "1.4794",
  },
  {
    name: "OpenAI gpt-5 with both a cached prefix and reasoning",
    provider: "openai",
    model: "gpt-5",
    stream: openaiStream("gpt-5", {
      prompt_tokens: 1200,
      completion_tokens: 500,
      total_tokens: 1700,
      prompt_tokens_details: { cached_tokens: 1024 },
      completion_tokens_details: { reasoning_tokens: 320 },
    }),
    usage: { inputTokens: 176, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 500, reasoningTokens: 320 },
    // 176 × 1.25 + 1024 × 0.125 + 500 × 10.00 = 5,348 µUSD
    cents: "0.5348",
  },
  {
    name: "Anthropic streaming: message_delta's output_tokens is the final count, not an increment",
    provider: "anthropic",
    model: "claude-3-5-haiku-20241022",
    stream: anthropicStream(
      "claude-3-5-haiku-20241022",
      { input_tokens: 25, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      { output_tokens: 15 },
    ),
    usage: { inputTokens: 25, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 15, reasoningTokens: 0 },
    // 25 × 0.80 + 15 × 4.00 = 80 µUSD
    cents: "0.008",
  },
  {
    name: "Anthropic cache write: cache_creation_input_tokens are apart from input_tokens, billed once at the write rate",
    provider: "anthropic",
    model: "claude-3-5-sonnet-20241022",
    stream: anthropicStream(
      "claude-3-5-sonnet-20241022",
      { input_tokens: 21, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0, output_tokens: 1 },
      { output_tokens: 393 },
    ),
    usage: { inputTokens: 21, cachedInputTokens: 0, cacheWriteTokens: 188086, outputTokens: 393, reasoningTokens: 0 },
    // 21 × 3.00 + 188,086 × 3.75 + 393 × 15.00 = 711,280.5 µUSD
    cents: "71.12805",
  },
  {
    name: "Anthropic cache read at the read rate",
    provider: "anthropic",
    model: "claude-3-5-haiku-20241022",
    stream: anthropicStream(
      "claude-3-5-haiku-20241022",
      { input_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 188086, output_tokens: 1 },
      { output_tokens: 300 },
    ),
    usage: { inputTokens: 50, cachedInputTokens: 188086, cacheWriteTokens: 0, outputTokens: 300, reasoningTokens: 0 },
    // 50 × 0.80 + 188,086 × 0.08 + 300 × 4.00 = 16,286.88 µUSD
    cents: "1.628688",
  },
  {
    name: "Anthropic's newer message_delta repeats the cumulative input and cache counts: taken, not added",
    provider: "anthropic",
    model: "claude-sonnet-4-20250514",
    stream: anthropicStream(
      "claude-sonnet-4-20250514",
      { input_tokens: 12, cache_creation_input_tokens: 2000, cache_read_input_tokens: 0, output_tokens: 1 },
      { input_tokens: 12, cache_creation_input_tokens: 2000, cache_read_input_tokens: 0, output_tokens: 120 },
    ),
    usage: { inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 2000, outputTokens: 120, reasoningTokens: 0 },
    // 12 × 3.00 + 2000 × 3.75 + 120 × 15.00 = 9,336 µUSD
    cents: "0.9336",
  },
  {
    name: "Anthropic Opus with every class at once",
    provider: "anthropic",
    model: "claude-opus-4-1-20250805",
    stream: anthropicStream(
      "claude-opus-4-1-20250805",
      { input_tokens: 100, cache_creation_input_tokens: 500, cache_read_input_tokens: 1000, output_tokens: 1 },
      { output_tokens: 200 },
    ),
    usage: { inputTokens: 100, cachedInputTokens: 1000, cacheWriteTokens: 500, outputTokens: 200, reasoningTokens: 0 },
    // 100 × 15 + 1000 × 1.50 + 500 × 18.75 + 200 × 75 = 27,375 µUSD
    cents: "2.7375",
  },
];

describe("usage shapes from the vendors' API references, through the real SDKs", () => {
  it.each(rows)("$name", async (row) => {
    script = row.stream;
    const provider =
      row.provider === "openai"
        ? createOpenAIProvider({ name: "openai", apiKey: "k", baseUrl: `${url}/v1` })
        : createAnthropicProvider({ name: "anthropic", apiKey: "k", baseUrl: url });
    const result = await provider.complete({ model: row.model, prompt: "hi", maxTokens: 4096, timeoutMs: 5_000 });
    expect(result.usageSource).toBe("provider");
    expect(result.usage).toEqual(row.usage);
    expect(prices.cost(row.provider, row.model, result.usage)?.toString()).toBe(row.cents);
  });

  it("covers every class of every priced vendor", () => {
    const classes = new Set(
      rows.flatMap((r) =>
        Object.entries(r.usage)
          .filter(([, n]) => n > 0)
          .map(([k]) => `${r.provider}:${k}`),
      ),
    );
    for (const provider of ["openai", "anthropic"]) {
      for (const k of ["inputTokens", "cachedInputTokens", "outputTokens"])
        expect(classes).toContain(`${provider}:${k}`);
    }
    expect(classes).toContain("openai:reasoningTokens");
    expect(classes).toContain("anthropic:cacheWriteTokens");
  });
});
