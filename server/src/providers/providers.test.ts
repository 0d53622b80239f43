/** The real SDK code paths against the built-in simulator over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fails as failsWith } from "../../test/helpers/fails.ts";
import type { ProviderError } from "../domain/providers/errors.ts";
import { createAnthropicProvider } from "./anthropic.ts";
import { createOpenAIProvider } from "./openai.ts";
import { countTokens, FAULT_HEADER, type Simulator, simulatedAnswer, startSimulator } from "./simulator/simulator.ts";
import type { LlmProvider } from "./types.ts";

const KEY = "sk-test-secret-key-never-logged-12345";
let sim: Simulator;
let openai: LlmProvider;
let anthropic: LlmProvider;

beforeAll(async () => {
  sim = await startSimulator();
  openai = createOpenAIProvider({ name: "openai", apiKey: KEY, baseUrl: sim.openaiBaseUrl, simulated: true });
  anthropic = createAnthropicProvider({
    name: "anthropic",
    apiKey: KEY,
    baseUrl: sim.anthropicBaseUrl,
    simulated: true,
  });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.setFaults([]);
  sim.resetCalls();
});

const fails = (p: Promise<unknown>) => failsWith<ProviderError>(p);

describe.each([
  ["openai", () => openai, "gpt-4o-mini"],
  ["anthropic", () => anthropic, "claude-3-5-sonnet-20241022"],
] as const)("%s provider", (name, provider, model) => {
  const request = {
    model,
    system: "Be concise",
    prompt: "Summarise the quarterly report",
    maxTokens: 256,
    timeoutMs: 5_000,
  };

  it("streams a deterministic answer with usage exactly as the simulator counted it", async () => {
    const deltas: string[] = [];
    const result = await provider().complete({ ...request, onDelta: (d) => deltas.push(d) });
    const expected = simulatedAnswer(model, request.system, request.prompt, request.maxTokens);
    expect(result.text).toBe(expected);
    expect(deltas.join("")).toBe(expected);
    expect(deltas.length).toBeGreaterThan(3);
    const call = sim.calls.at(-1);
    expect(call).toMatchObject({ provider: name, model, stream: true, status: 200 });
    expect(result.usage.inputTokens).toBe(call?.promptTokens);
    expect(result.usage.outputTokens).toBe(countTokens(expected));
    expect(result.usage.cachedInputTokens).toBe(0);
    expect(result.requestId).toMatch(/^req_sim_[0-9a-f]{24}$/);
    expect(result.finishReason).toBe(name === "openai" ? "stop" : "end_turn");
    expect(result.model).toBe(model);
  });

  it("reports a 429 as transient with the provider's retry-after and request id", async () => {
    sim.setFaults([{ provider: name, status: 429, retryAfterSeconds: 2 }]);
    const e = await fails(provider().complete(request));
    expect(e.kind).toBe("rate_limited");
    expect(e.transient).toBe(true);
    expect(e.details.status).toBe(429);
    expect(e.details.retryAfterMs).toBe(2000);
    expect(e.details.requestId).toMatch(/^req_sim_/);
    // The fault plan is used up: the next call succeeds.
    await expect(provider().complete(request)).resolves.toMatchObject({ finishReason: expect.any(String) });
  });

  it("reports a 500 as transient and a 400 as permanent", async () => {
    sim.setFaults([{ provider: name, status: 500 }]);
    expect((await fails(provider().complete(request))).kind).toBe("server");
    sim.setFaults([{ provider: name, status: 400 }]);
    const bad = await fails(provider().complete(request));
    expect(bad.kind).toBe("bad_request");
    expect(bad.transient).toBe(false);
  });

  it("times out a hanging call at the per-call timeout", async () => {
    sim.setFaults([{ provider: name, kind: "timeout", hangMs: 10_000 }]);
    const started = Date.now();
    const e = await fails(provider().complete({ ...request, timeoutMs: 300 }));
    expect(e.kind).toBe("timeout");
    expect(e.transient).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("keeps the partial text of a stream cut mid-way and calls it transient", async () => {
    sim.setFaults([{ provider: name, kind: "stream_cut" }]);
    const e = await fails(provider().complete(request));
    expect(e.transient).toBe(true);
    expect(e.details.partialText?.length ?? 0).toBeGreaterThan(0);
  });

  it("treats a malformed body as a transient failure", async () => {
    sim.setFaults([{ provider: name, kind: "malformed" }]);
    const e = await fails(provider().complete(request));
    expect(e.transient).toBe(true);
  });

  it("aborts an in-flight call when the signal fires", async () => {
    sim.setLatency(0, 50);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const e = await fails(provider().complete({ ...request, signal: controller.signal }));
    sim.setLatency(0, 0);
    expect(e.kind).toBe("canceled");
  });

  it("honours a per-call fault header (the demo's 'force an error') then recovers", async () => {
    const headers = { [FAULT_HEADER]: "status=503;count=2" };
    expect((await fails(provider().complete({ ...request, headers }))).details.status).toBe(503);
    expect((await fails(provider().complete({ ...request, headers }))).details.status).toBe(503);
    await expect(provider().complete({ ...request, headers })).resolves.toMatchObject({ text: expect.any(String) });
  });

  it("never puts the API key in an error", async () => {
    sim.setFaults([{ provider: name, status: 401 }]);
    const e = await fails(provider().complete(request));
    expect(e.kind).toBe("auth");
    expect(`${e.message} ${JSON.stringify(e.details)}`).not.toContain(KEY);
  });
});

describe("simulator", () => {
  it("answers 401 without a key, like the vendors", async () => {
    const res = await fetch(`${sim.openaiBaseUrl}/chat/completions`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_api_key" } });
    const a = await fetch(`${sim.anthropicBaseUrl}/v1/messages`, { method: "POST", body: "{}" });
    expect(await a.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });

  it("answers Anthropic overload with 529 overloaded_error", async () => {
    sim.setFaults([{ provider: "anthropic", status: 529 }]);
    const e = await fails(anthropic.complete({ model: "m", prompt: "x", maxTokens: 10, timeoutMs: 2000 }));
    expect(e.kind).toBe("overloaded");
    expect(e.message).toMatch(/529 Overloaded "Overloaded"/);
  });

  it("stops at max tokens with finish reason 'length'", async () => {
    const r = await openai.complete({
      model: "gpt-4o-mini",
      prompt: "a long story please",
      maxTokens: 5,
      timeoutMs: 2000,
    });
    expect(r.usage.outputTokens).toBeLessThanOrEqual(5);
    expect(r.finishReason).toBe("length");
  });
});

describe("simulator token counting", () => {
  it("counts text without spaces in linear time, close to the exact BPE count", () => {
    // Exact BPE on one 16,000-character piece takes ~18 s (quadratic); sliced, this is milliseconds.
    const exact = countTokens("xy".repeat(8)); // one 16-character slice, counted exactly
    expect(countTokens("xy".repeat(8 * 4096))).toBe(exact * 4096);
    expect(countTokens("hello world")).toBe(2);
  });

  it("never cuts an answer between the halves of a surrogate pair", () => {
    const answer = simulatedAnswer("gpt-4o-mini", "s", "👨‍👩‍👧‍👦".repeat(200), 5);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(answer)).toBe(false);
  });
});
