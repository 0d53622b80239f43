import { describe, expect, it } from "vitest";
import { cacheKey, cacheKeyMaterial } from "../cache-key.ts";
import { classifyStatus, isTransient, ProviderError, parseRetryAfter } from "./errors.ts";
import { backoffDelay } from "./retry-policy.ts";

const headers = (h: Record<string, string>) => ({ get: (k: string) => h[k] ?? null });

describe("failure classification", () => {
  it.each([
    [408, "timeout", true],
    [409, "server", true],
    [429, "rate_limited", true],
    [500, "server", true],
    [502, "server", true],
    [503, "server", true],
    [504, "server", true],
    [529, "overloaded", true],
    [400, "bad_request", false],
    [401, "auth", false],
    [403, "auth", false],
    [404, "not_found", false],
    [422, "bad_request", false],
  ] as const)("HTTP %i is %s (transient: %s)", (status, kind, transient) => {
    expect(classifyStatus(status)).toBe(kind);
    expect(isTransient(classifyStatus(status))).toBe(transient);
  });

  it("recognises context-length errors as permanent and not worth a fallback", () => {
    const kind = classifyStatus(400, "This model's maximum context length is 128000 tokens");
    expect(kind).toBe("context_length");
    const e = new ProviderError(kind, "too long", { provider: "openai", model: "m" });
    expect(e.transient).toBe(false);
    expect(e.fallbackEligible).toBe(false);
    expect(new ProviderError("auth", "bad key", { provider: "openai", model: "m" }).fallbackEligible).toBe(true);
  });

  it("parses retry-after in seconds, milliseconds and HTTP dates", () => {
    expect(parseRetryAfter(headers({ "retry-after": "2" }))).toBe(2000);
    expect(parseRetryAfter(headers({ "retry-after-ms": "150" }))).toBe(150);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(5000);
    expect(parseRetryAfter(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfter(headers({}))).toBeUndefined();
  });
});

describe("backoff", () => {
  const policy = { attempts: 5, baseMs: 100, maxMs: 1000 };
  it("uses full jitter under an exponentially growing, capped ceiling", () => {
    expect(backoffDelay(policy, 1, undefined, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, undefined, () => 0.999)).toBe(399);
    expect(backoffDelay(policy, 10, undefined, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 3, undefined, () => 0)).toBe(0);
  });
  it("waits at least as long as retry-after asks (capped at a minute)", () => {
    expect(backoffDelay(policy, 1, 2500, () => 0.5)).toBe(2500);
    expect(backoffDelay(policy, 1, 3_600_000, () => 0.5)).toBe(60_000);
  });
});

describe("cache key", () => {
  const base = {
    provider: "openai",
    model: "gpt-4o-mini",
    system: "Be concise",
    prompt: "Summarise this",
    inputs: { text: "x", n: 1 },
    params: { temperature: 0, maxTokens: 256 },
  };
  it("is a stable SHA-256 independent of key order", async () => {
    const a = await cacheKey(base);
    const b = await cacheKey({ ...base, inputs: { n: 1, text: "x" }, params: { maxTokens: 256, temperature: 0 } });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });
  it.each([
    ["provider", { provider: "anthropic" }],
    ["model", { model: "gpt-4o" }],
    ["system", { system: null }],
    ["prompt", { prompt: "Summarise that" }],
    ["inputs", { inputs: { text: "y", n: 1 } }],
    ["temperature", { params: { temperature: 0.7, maxTokens: 256 } }],
    ["maxTokens", { params: { temperature: 0, maxTokens: 257 } }],
  ])("changes with %s", async (_name, change) => {
    expect(await cacheKey({ ...base, ...change })).not.toBe(await cacheKey(base));
  });
  it("has readable material for debugging", () => {
    expect(cacheKeyMaterial(base)).toContain('"model":"gpt-4o-mini"');
  });
});
