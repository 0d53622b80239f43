/**
 * What a provider said, kept through the real SDKs: every common error-body shape, errors sent
 * inside an HTTP 200 stream, the base-URL hint, reasoning models' token field, and usage a server
 * did not report (estimated and marked).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fails as failsWith } from "../../test/helpers/fails.ts";
import type { ProviderError } from "../domain/providers/errors.ts";
import { createAnthropicProvider } from "./anthropic.ts";
import { createOpenAIProvider } from "./openai.ts";
import { REASONING_TOKENS, type Simulator, startSimulator } from "./simulator/simulator.ts";
import { countTokens, promptTokenCount } from "./tokenizer.ts";

const KEY = "sk-test-secret-key-never-logged-67890";
let sim: Simulator;
let scripted: { status: number; body: string; type: string } = { status: 500, body: "", type: "application/json" };
let server: http.Server;
let scriptedUrl = "";

beforeAll(async () => {
  sim = await startSimulator();
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(scripted.status, { "content-type": scripted.type }).end(scripted.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  scriptedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  sim.setFaults([]);
  sim.resetCalls();
});

const fails = (p: Promise<unknown>) => failsWith<ProviderError>(p);

const ask = { prompt: "What changed?", maxTokens: 200, timeoutMs: 5_000 };
const openaiAt = (baseUrl: string, extra: { tokenParam?: "max_tokens" } = {}) =>
  createOpenAIProvider({ name: "openai", apiKey: KEY, baseUrl, ...extra });
const anthropicAt = (baseUrl: string) => createAnthropicProvider({ name: "anthropic", apiKey: KEY, baseUrl });

describe("error bodies in the server's own words", () => {
  const shapes: [string, number, string, string, string][] = [
    [
      "a web framework's {error, message}",
      404,
      JSON.stringify({ statusCode: 404, error: "Not Found", message: "Cannot POST /chat/completions" }),
      "application/json",
      '404 Not Found "Not Found: Cannot POST /chat/completions"',
    ],
    [
      "OpenAI's {error: {message, type, code}}",
      400,
      JSON.stringify({ error: { message: "Invalid model", type: "invalid_request_error", code: "model_not_found" } }),
      "application/json",
      '400 Bad Request "Invalid model"',
    ],
    [
      "Anthropic's {type: error, error: {type, message}}",
      529,
      JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
      "application/json",
      '529 Overloaded "Overloaded"',
    ],
    [
      "FastAPI's {detail}",
      422,
      JSON.stringify({ detail: [{ loc: ["body", "messages"], msg: "field required", type: "missing" }] }),
      "application/json",
      '422 Unprocessable Entity "body.messages: field required"',
    ],
    [
      "Ollama's {error: string}",
      404,
      JSON.stringify({ error: "model 'llama9' not found, try pulling it first" }),
      "application/json",
      "404 Not Found \"model 'llama9' not found, try pulling it first\"",
    ],
    ["plain text", 502, "upstream connect error", "text/plain", '502 Bad Gateway "upstream connect error"'],
    [
      "an HTML error page",
      503,
      "<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>nginx</h1></body></html>",
      "text/html",
      '503 Service Unavailable "503 Service Temporarily Unavailable"',
    ],
  ];

  it.each(shapes)("reads %s (OpenAI SDK and Anthropic SDK)", async (_name, status, body, type, reason) => {
    scripted = { status, body, type };
    for (const provider of [openaiAt(`${scriptedUrl}/v1`), anthropicAt(scriptedUrl)]) {
      const e = await fails(provider.complete({ model: "m", ...ask }));
      expect(e.details.status).toBe(status);
      expect(e.reason).toBe(reason);
      expect(e.message).toBe(`${provider.name} answered ${reason}`);
    }
  });

  it("cuts a long body and never repeats a key the server echoed", async () => {
    scripted = {
      status: 401,
      body: JSON.stringify({ message: `bad key ${KEY} ${"x".repeat(2000)}` }),
      type: "application/json",
    };
    const e = await fails(openaiAt(`${scriptedUrl}/v1`).complete({ model: "m", ...ask }));
    expect(e.kind).toBe("auth");
    expect(e.message).not.toContain(KEY);
    expect(e.reason).not.toContain(KEY);
    expect(e.reason.length).toBeLessThan(400);
    expect(e.reason).toMatch(/…"$/);
  });

  it("asks whether a base URL without /v1 meant /v1 (and the reverse for Anthropic)", async () => {
    const noV1 = `${sim.url}/openai`;
    const e = await fails(openaiAt(noV1).complete({ model: "gpt-4o-mini", ...ask }));
    expect(e.kind).toBe("not_found");
    expect(e.reason).toBe(
      `404 Not Found "Not Found: Cannot POST /openai/chat/completions" (the base URL ${noV1} lacks /v1: did you mean ${noV1}/v1?)`,
    );
    const withCredentials = `http://user:hunter2-secret@127.0.0.1:${new URL(sim.url).port}/openai`;
    const hidden = await fails(openaiAt(withCredentials).complete({ model: "gpt-4o-mini", ...ask }));
    expect(hidden.reason).not.toContain("hunter2-secret");
    const withV1 = `${sim.anthropicBaseUrl}/v1`;
    const a = await fails(anthropicAt(withV1).complete({ model: "claude-3-5-haiku-20241022", ...ask }));
    expect(a.reason).toMatch(/the Anthropic SDK adds \/v1 itself: did you mean .*\/anthropic\?\)$/);
  });
});

describe("errors inside an HTTP 200 stream", () => {
  it.each([
    ["openai", "rate_limit_error", "rate_limited", true],
    ["openai", "invalid_request_error", "bad_request", false],
    ["anthropic", "overloaded_error", "overloaded", true],
    ["anthropic", "rate_limit_error", "rate_limited", true],
    ["anthropic", "invalid_request_error", "bad_request", false],
  ] as const)("%s %s is %s (transient: %s)", async (vendor, errorType, kind, transient) => {
    sim.setFaults([{ kind: "stream_error", errorType }]);
    const provider = vendor === "openai" ? openaiAt(sim.openaiBaseUrl) : anthropicAt(sim.anthropicBaseUrl);
    const e = await fails(
      provider.complete({ model: vendor === "openai" ? "gpt-4o-mini" : "claude-3-5-haiku", ...ask }),
    );
    expect(e.kind).toBe(kind);
    expect(e.transient).toBe(transient);
    expect(e.details.status).toBeUndefined();
    expect(e.reason).toMatch(new RegExp(`^in-stream ${errorType} ".+"$`));
  });
});

describe("reasoning models", () => {
  it("get max_completion_tokens (they refuse max_tokens) and report reasoning tokens", async () => {
    const result = await openaiAt(sim.openaiBaseUrl).complete({ model: "o3-mini", ...ask });
    expect(result.usage.reasoningTokens).toBe(REASONING_TOKENS);
    expect(result.usage.outputTokens).toBe(countTokens(result.text) + REASONING_TOKENS);
    const forced = await fails(
      openaiAt(sim.openaiBaseUrl, { tokenParam: "max_tokens" }).complete({ model: "o3-mini", ...ask }),
    );
    expect(forced.kind).toBe("bad_request");
    expect(forced.reason).toMatch(/^400 Bad Request "Unsupported parameter: 'max_tokens'/);
  });

  it("other models keep max_tokens", async () => {
    const result = await openaiAt(sim.openaiBaseUrl, { tokenParam: "max_tokens" }).complete({
      model: "gpt-4o-mini",
      ...ask,
    });
    expect(result.usage.reasoningTokens).toBe(0);
  });
});

describe("a server that reports no usage", () => {
  it.each([
    ["openai", "gpt-4o-mini"],
    ["anthropic", "claude-3-5-haiku-20241022"],
  ] as const)("%s: tokens are counted here and marked estimated", async (vendor, model) => {
    sim.setFaults([{ kind: "no_usage" }]);
    const provider = vendor === "openai" ? openaiAt(sim.openaiBaseUrl) : anthropicAt(sim.anthropicBaseUrl);
    const result = await provider.complete({ model, system: "Be brief.", ...ask });
    expect(result.usageSource).toBe("estimated");
    expect(result.usageNote).toBe("the provider reported no usage");
    expect(result.rawUsage === null || Object.keys(result.rawUsage as object).length === 0).toBe(true);
    expect(result.usage.inputTokens).toBe(promptTokenCount("Be brief.", ask.prompt));
    expect(result.usage.outputTokens).toBe(countTokens(result.text));
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("a report of zero tokens for a non-empty answer is no report either", async () => {
    scripted = {
      status: 200,
      type: "text/event-stream",
      body:
        `data: ${JSON.stringify({ id: "1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "Hello there" }, finish_reason: "stop" }] })}\n\n` +
        `data: ${JSON.stringify({ id: "1", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } })}\n\n` +
        "data: [DONE]\n\n",
    };
    const result = await openaiAt(`${scriptedUrl}/v1`).complete({ model: "m", ...ask });
    expect(result.usageSource).toBe("estimated");
    expect(result.usageNote).toBe("the provider reported 0 tokens for a non-empty answer");
    expect(result.usage.outputTokens).toBe(countTokens("Hello there"));
  });
});
