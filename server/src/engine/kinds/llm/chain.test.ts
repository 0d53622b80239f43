// The LLM step's chain without a database: a scripted provider, an injected clock and random, an
// in-memory store and a recorder that keeps what it is told.
import { describe, expect, it } from "vitest";
import { Cents } from "../../../domain/pricing/money.ts";
import { PriceMap } from "../../../domain/pricing/pricing.ts";
import { type FailureKind, ProviderError } from "../../../domain/providers/errors.ts";
import type { TraceEventKind } from "../../../domain/trace/payloads.ts";
import type { LlmNode } from "../../../domain/workflow/schema.ts";
import { registryFrom } from "../../../providers/registry.ts";
import type { LlmProvider, LlmRequest, LlmResult } from "../../../providers/types.ts";
import type { StepRecorder } from "../../../trace/recorder.ts";
import { RunBudget } from "../../budget.ts";
import { SingleFlight } from "../../single-flight.ts";
import type { LlmContext } from "./context.ts";
import { runLlmStep } from "./handler.ts";
import type { CacheEntry, LlmStore } from "./store.ts";

type Script = (LlmResult | ProviderError)[];

const answer = (text: string): LlmResult => ({
  text,
  toolCalls: [],
  usage: { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 },
  usageSource: "provider",
  rawUsage: {},
  requestId: "req-1",
  finishReason: "stop",
  model: "m",
});

const failure = (provider: string, kind: FailureKind, status: number, retryAfterMs?: number) =>
  new ProviderError(kind, `${status} from ${provider}`, {
    provider,
    model: "m",
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

/** A provider answering from a script, one entry per call; it records the requests it got. */
function scripted(name: string, script: Script): LlmProvider & { calls: LlmRequest[] } {
  const calls: LlmRequest[] = [];
  return {
    name,
    api: name === "anthropic" ? "anthropic" : "openai",
    simulated: false,
    calls,
    async complete(request) {
      calls.push(request);
      const next = script.shift();
      if (!next) throw new Error(`${name} was called more often than scripted`);
      if (next instanceof ProviderError) throw next;
      return next;
    },
  };
}

function memoryStore(): LlmStore & { stored: CacheEntry[] } {
  const stored: CacheEntry[] = [];
  return {
    stored,
    findCached: async () => null,
    storeCached: async (entry) => {
      stored.push(entry);
    },
    lastResponse: async () => null,
    stepEvents: async () => [],
  };
}

function harness(providers: LlmProvider[], options: { maxCostCents?: number } = {}) {
  const events: { kind: TraceEventKind; payload: Record<string, unknown> }[] = [];
  let seq = 0;
  const recorder = {
    emit: (kind: TraceEventKind, _stepId: string | null, payload: Record<string, unknown>) => {
      events.push({ kind, payload });
      return { seq: ++seq };
    },
    delta: () => {},
    flush: async () => {},
  } as unknown as StepRecorder;
  const sleeps: number[] = [];
  const budget = new RunBudget(1_000_000, options.maxCostCents ? Cents.parse(String(options.maxCostCents)) : null);
  const ctx: LlmContext = {
    stepId: "step-1",
    runId: "run-1",
    resuming: false,
    budget,
    providers: registryFrom(providers, { simulated: false }),
    prices: PriceMap.defaults(),
    bindings: new Map(),
    signal: new AbortController().signal,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    singleFlight: new SingleFlight<LlmResult>(() => false),
    cacheRead: true,
    spendGuard: async () => {},
    recorder,
    llmStore: memoryStore(),
  };
  return { ctx, events, sleeps, budget, kinds: () => events.map((e) => e.kind) };
}

const node = (config: Partial<LlmNode["config"]> = {}): LlmNode => ({
  id: "summarize",
  type: "llm",
  name: "Summarize",
  config: {
    provider: "openai",
    model: "gpt-4o-mini",
    prompt: "Summarize {{input.text}}",
    cache: false,
    fallbacks: [{ provider: "anthropic", model: "claude-3-5-haiku-20241022" }],
    ...config,
  },
});

const input = { inputs: {}, tctx: { nodeOutputs: new Map(), input: { text: "the report" } } };

describe("the LLM chain", () => {
  it("retries a 503 three times, then falls back to the next provider and takes its answer", async () => {
    const openai = scripted(
      "openai",
      [503, 503, 503].map((s) => failure("openai", "server", s)),
    );
    const anthropic = scripted("anthropic", [answer("from anthropic")]);
    const h = harness([openai, anthropic]);
    const result = await runLlmStep(node(), input, h.ctx);
    expect(result.output).toBe("from anthropic");
    expect(result.model).toBe("anthropic/claude-3-5-haiku-20241022");
    expect(openai.calls).toHaveLength(3);
    expect(openai.calls[0]?.prompt).toBe("Summarize the report");
    expect(h.kinds().filter((k) => k === "retry")).toHaveLength(3);
    const fallback = h.events.find((e) => e.kind === "fallback");
    expect(fallback?.payload).toMatchObject({ from: { provider: "openai" }, to: { provider: "anthropic" } });
    // Two waits between the three attempts (full jitter at random 0.5: 125 ms, then 250 ms); none after the last.
    expect(h.sleeps).toEqual([125, 250]);
    expect(h.events.findLast((e) => e.kind === "retry")?.payload).toMatchObject({ willRetry: false, delayMs: null });
  });

  it("waits at least as long as the provider's retry-after asks", async () => {
    const openai = scripted("openai", [failure("openai", "rate_limited", 429, 4_000), answer("after the wait")]);
    const h = harness([openai], {});
    const result = await runLlmStep(node({ fallbacks: [] }), input, h.ctx);
    expect(result.output).toBe("after the wait");
    expect(h.sleeps).toEqual([4_000]);
  });

  it("gives the chain a second pass after a pause when every provider failed with transient errors", async () => {
    const openai = scripted("openai", [
      ...[1, 2, 3].map(() => failure("openai", "overloaded", 529)),
      answer("second pass"),
    ]);
    const anthropic = scripted(
      "anthropic",
      [1, 2, 3].map(() => failure("anthropic", "server", 500)),
    );
    const h = harness([openai, anthropic]);
    const result = await runLlmStep(node(), input, h.ctx);
    expect(result.output).toBe("second pass");
    expect(openai.calls).toHaveLength(4);
    expect(anthropic.calls).toHaveLength(3);
    // Two retry waits per provider in the first pass, then the pause before the second pass.
    expect(h.sleeps).toHaveLength(5);
    expect(h.kinds().filter((k) => k === "fallback")).toHaveLength(2);
    // Idempotency keys differ between passes: the second pass is a new call, not a repeat.
    const keys = openai.calls.map((c) => c.headers?.["Idempotency-Key"]);
    expect(new Set(keys).size).toBe(4);
  });

  it("stops at an error no fallback can help with, naming it, and never calls the fallback", async () => {
    const openai = scripted("openai", [failure("openai", "bad_request", 400)]);
    const anthropic = scripted("anthropic", [answer("never")]);
    const h = harness([openai, anthropic]);
    const error = await runLlmStep(node(), input, h.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe("bad_request");
    expect((error as ProviderError).message).toContain("400");
    expect(anthropic.calls).toHaveLength(0);
    expect(h.kinds()).not.toContain("fallback");
  });

  it("releases each attempt's budget reservation when the call fails, and books only what answered", async () => {
    const openai = scripted("openai", [failure("openai", "server", 500), answer("ok")]);
    const h = harness([openai], { maxCostCents: 100 });
    const held: unknown[] = [];
    const reserve = h.budget.reserve.bind(h.budget);
    h.budget.reserve = (tokens, cost) => {
      const r = reserve(tokens, cost);
      held.push(r);
      return r;
    };
    await runLlmStep(node({ fallbacks: [] }), input, h.ctx);
    expect(held).toHaveLength(2);
    // Nothing is left held: a next call may use everything but what was really spent.
    expect(h.budget.tokensUsed).toBe(15);
    expect(() => h.budget.reserve(1_000_000 - 15, null)).not.toThrow();
  });

  it("releases the reservation when every attempt fails, so the failed step holds nothing", async () => {
    const openai = scripted(
      "openai",
      [1, 2, 3].map(() => failure("openai", "server", 500)),
    );
    const h = harness([openai]);
    await expect(runLlmStep(node({ fallbacks: [] }), input, h.ctx)).rejects.toBeInstanceOf(ProviderError);
    expect(h.budget.tokensUsed).toBe(0);
    expect(() => h.budget.reserve(1_000_000, null)).not.toThrow();
  });

  it("skips a fallback whose provider is not configured, saying so, and fails with the primary's error", async () => {
    const openai = scripted("openai", [failure("openai", "auth", 401)]);
    const h = harness([openai]);
    const error = (await runLlmStep(node(), input, h.ctx).catch((e: unknown) => e)) as ProviderError;
    expect(error.kind).toBe("auth");
    const skipped = h.events.find((e) => e.kind === "log" && String(e.payload.message).includes("skipped"));
    expect(skipped?.payload.message).toBe("fallback anthropic/claude-3-5-haiku-20241022 skipped: not configured");
  });

  it("writes a fresh answer to the cache under its request key", async () => {
    const openai = scripted("openai", [answer("cached later")]);
    const h = harness([openai]);
    await runLlmStep(node({ cache: true, fallbacks: [] }), input, h.ctx);
    const store = h.ctx.llmStore as ReturnType<typeof memoryStore>;
    expect(store.stored).toHaveLength(1);
    expect(store.stored[0]).toMatchObject({ provider: "openai", model: "gpt-4o-mini" });
    expect(h.events.find((e) => e.kind === "llm.request")?.payload.cacheKey).toBe(store.stored[0]?.key);
  });
});
