/**
 * One LLM step: render, apply the provider binding, consult the exact-match cache (single-flight),
 * then call providers with retries (full-jitter backoff, honouring retry-after) and fallbacks,
 * recording every request, response, retry and switch as trace events.
 */
import { createHash } from "node:crypto";
import { Prisma } from "../db/prisma.ts";
import { cacheKey } from "../domain/cache-key.ts";
import { canonicalJson } from "../domain/canonical-json.ts";
import { Cents } from "../domain/pricing/money.ts";
import { costOf, promptTokens, type Usage } from "../domain/pricing/pricing.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { backoffDelay, DEFAULT_RETRY } from "../domain/providers/retry-policy.ts";
import { storableString } from "../domain/storable-json.ts";
import type { LlmNode } from "../domain/workflow/schema.ts";
import { renderString, type TemplateContext } from "../domain/workflow/templates.ts";
import { FAULT_HEADER } from "../providers/simulator/simulator.ts";
import type { LlmResult } from "../providers/types.ts";
import { estimateTokens } from "./budget.ts";
import type { StepContext, StepResult } from "./step-context.ts";

/**
 * The default fallback when a node names none (set `fallbacks: []` to disable): OpenAI → Anthropic
 * and Anthropic → OpenAI, each with a comparable model.
 */
export function defaultFallbacks(provider: string, model: string): { provider: string; model: string }[] {
  if (provider === "openai") {
    const big = /gpt-4o(?!-mini)|gpt-4\.1(?!-mini|-nano)|gpt-5(?!-mini|-nano)|o3(?!-mini)/.test(model);
    return [{ provider: "anthropic", model: big ? "claude-3-5-sonnet-20241022" : "claude-3-5-haiku-20241022" }];
  }
  if (provider === "anthropic") {
    return [{ provider: "openai", model: /haiku/.test(model) ? "gpt-4o-mini" : "gpt-4o" }];
  }
  return [];
}

export function defaultPrompt(inputs: Record<string, unknown>): string {
  const values = Object.values(inputs);
  if (values.length === 1 && typeof values[0] === "string") return values[0];
  return canonicalJson(inputs);
}

const inflight = new Map<string, Promise<LlmResult>>();

interface CachedResponse {
  text: string;
  requestId: string | null;
  finishReason: string | null;
  model: string;
}

/**
 * Idempotency key of one provider call: stable across executors for the same run, step, provider
 * in the chain and attempt, so a call repeated after a crash can be recognised by a gateway that
 * honours `Idempotency-Key` (the simulator does; vendors that don't simply ignore the header).
 */
export function idempotencyKey(runId: string, stepId: string, chainIndex: number, attempt: number): string {
  return `ft-${createHash("sha256").update(`${runId}:${stepId}:${chainIndex}:${attempt}`).digest("hex").slice(0, 32)}`;
}

/**
 * A resumed step whose provider call already answered (its `llm.response` is in the trace) reuses
 * that answer instead of paying for the call again. The trace is the journal.
 */
async function recordedResponse(ctx: StepContext): Promise<StepResult | null> {
  const row = await ctx.prisma.traceEvent.findFirst({
    where: { runId: ctx.runId, stepId: ctx.stepId, kind: "llm.response" },
    orderBy: { seq: "desc" },
  });
  if (!row) return null;
  const p = row.payload as {
    text?: string;
    usage?: Usage;
    costCents?: string | null;
    provider?: string;
    model?: string;
  };
  // A response too long for the trace was cut there: call again rather than reuse a partial answer.
  if (typeof p.text !== "string" || !p.usage || "truncated" in p) return null;
  const cost = p.costCents ? Cents.parse(p.costCents) : null;
  const tokensIn = promptTokens(p.usage);
  ctx.budget.book(tokensIn + p.usage.outputTokens, cost);
  ctx.recorder.emit("log", ctx.stepId, {
    level: "info",
    message: `reused the ${p.provider}/${p.model} response recorded at seq ${row.seq} before the previous executor stopped; the provider was not called again`,
  });
  return { output: p.text, tokensInput: tokensIn, tokensOutput: p.usage.outputTokens, cost, cached: false };
}

export async function runLlmStep(
  node: LlmNode,
  inputs: Record<string, unknown>,
  tctx: TemplateContext,
  ctx: StepContext,
): Promise<StepResult> {
  const cfg = node.config;
  const system = cfg.system !== undefined ? renderString(cfg.system, tctx) : null;
  const prompt = cfg.prompt !== undefined ? renderString(cfg.prompt, tctx) : defaultPrompt(inputs);
  const maxTokens = cfg.maxTokens ?? 1024;
  const timeoutMs = cfg.timeoutMs ?? 60_000;
  const policy = {
    attempts: cfg.retry?.attempts ?? DEFAULT_RETRY.attempts,
    baseMs: cfg.retry?.backoffBaseMs ?? DEFAULT_RETRY.baseMs,
    maxMs: cfg.retry?.backoffMaxMs ?? DEFAULT_RETRY.maxMs,
  };
  // A node with a forced (demo) fault bypasses the cache, so the error it asks for really happens.
  const cacheEnabled =
    cfg.cache !== false && !(typeof cfg.cache === "object" && cfg.cache.enabled === false) && !ctx.fault;
  const ttlSeconds = typeof cfg.cache === "object" ? cfg.cache.ttlSeconds : undefined;
  const chain = [
    { provider: cfg.provider, model: cfg.model },
    ...(cfg.fallbacks ?? defaultFallbacks(cfg.provider, cfg.model)),
  ];
  let lastError: ProviderError | null = null;

  if (ctx.resuming) {
    const recorded = await recordedResponse(ctx);
    if (recorded) return recorded;
  }

  // When every provider of a fallback chain failed with transient errors (a burst of 5xx, 429s and
  // timeouts across vendors), the chain gets one more pass after a pause before the step fails.
  const passes = chain.length > 1 ? 2 : 1;
  let transientInPass = false;
  chainPasses: for (let pass = 0; pass < passes; pass++) {
    if (pass > 0) {
      if (!transientInPass || !lastError) break;
      transientInPass = false;
      await ctx.sleep(
        backoffDelay(policy, policy.attempts + 1, lastError.details.retryAfterMs, ctx.random),
        ctx.signal,
      );
    }
    for (const [index, requested] of chain.entries()) {
      const position = pass * chain.length + index;
      const binding = ctx.bindings.get(requested.provider);
      const target = { provider: requested.provider, model: binding?.model ?? requested.model };
      const temperature = binding?.temperature ?? cfg.temperature;
      if (position > 0 && lastError) {
        const previous = chain[(position - 1) % chain.length];
        ctx.recorder.emit("fallback", ctx.stepId, {
          from: { provider: previous?.provider, model: previous?.model },
          to: target,
          cause: { kind: lastError.kind, message: lastError.message, status: lastError.details.status ?? null },
        });
      }
      const provider = ctx.providers.get(target.provider);
      if (!provider) {
        lastError = new ProviderError("missing_key", `provider '${target.provider}' is not configured`, {
          provider: target.provider,
          model: target.model,
        });
        continue;
      }
      const params = { temperature: temperature ?? null, maxTokens };
      const key = cacheEnabled
        ? await cacheKey({ provider: target.provider, model: target.model, system, prompt, inputs, params })
        : null;

      if (key) {
        const hit = await ctx.prisma.llmCache.findUnique({ where: { keyHash: key } });
        if (hit && (!hit.expiresAt || hit.expiresAt > new Date())) {
          // Hit statistics are bookkeeping: don't make the step wait for them.
          void ctx.prisma.llmCache
            .update({ where: { keyHash: key }, data: { hitCount: { increment: 1 }, lastHitAt: new Date() } })
            .catch(() => {});
          const response = hit.response as unknown as CachedResponse;
          ctx.recorder.emit("cache.hit", ctx.stepId, {
            key,
            provider: target.provider,
            model: target.model,
            savedCostCents: hit.costCents?.toString() ?? null,
            savedTokens: hit.usage,
            originalRequestId: response.requestId,
          });
          return { output: response.text, tokensInput: 0, tokensOutput: 0, cost: Cents.ZERO, cached: true };
        }
      }

      const price = ctx.prices.resolve(target.provider, target.model);
      if (!price) {
        ctx.recorder.emit("log", ctx.stepId, {
          level: "warn",
          message: `no price for ${target.provider}/${target.model}: cost is unknown (null), not 0; add it with FLOWTRACE_PRICING_FILE`,
        });
      }

      for (let attempt = 1; attempt <= policy.attempts + 1; attempt++) {
        const estimate = estimateTokens(`${system ?? ""}${prompt}`) + maxTokens;
        const estimatedCost = price
          ? costOf(price.price, {
              inputTokens: estimate - maxTokens,
              cachedInputTokens: 0,
              cacheWriteTokens: 0,
              outputTokens: maxTokens,
              reasoningTokens: 0,
            })
          : null;
        ctx.budget.checkBefore(estimate, estimatedCost);
        // The demo fault hits the primary provider only, so the fallback can show recovery.
        const headers: Record<string, string> = {
          "Idempotency-Key": idempotencyKey(ctx.runId, ctx.stepId, position, attempt),
          ...(provider.simulated && ctx.fault && index === 0 ? { [FAULT_HEADER]: ctx.fault } : {}),
        };
        // A cancel or hand-off that arrived before this call starts stops it here: a listener added to
        // an already aborted signal never fires, and the call would run to its end.
        if (ctx.signal.aborted) throw ctx.signal.reason;
        ctx.recorder.emit("llm.request", ctx.stepId, {
          provider: target.provider,
          model: target.model,
          temperature: temperature ?? null,
          maxTokens,
          timeoutMs,
          system,
          prompt,
          attempt,
          simulated: provider.simulated,
          cacheKey: key,
          ...(binding ? { binding: { model: binding.model, temperature: binding.temperature } } : {}),
        });
        const started = performance.now();
        // A per-call signal linked to the run's: the SDK adds a listener per request, and the run's own
        // signal would otherwise collect one per call for the whole run.
        const callController = new AbortController();
        const forwardAbort = () => callController.abort(ctx.signal.reason);
        ctx.signal.addEventListener("abort", forwardAbort, { once: true });
        try {
          const call = () =>
            provider.complete({
              model: target.model,
              ...(system !== null ? { system } : {}),
              prompt,
              ...(temperature !== undefined ? { temperature } : {}),
              maxTokens,
              timeoutMs,
              signal: callController.signal,
              onDelta: (text) => ctx.recorder.delta(ctx.stepId, text),
              headers,
            });
          // Two identical calls in flight make one provider call: the follower books the leader's answer
          // as a cache hit (it paid nothing), the leader books the cost.
          const shared = key ? inflight.get(key) : undefined;
          // The follower waits on its own signal too (its run may be canceled or handed off while the
          // leader's call goes on); a leader whose own run was canceled leaves it to call for itself.
          const led = shared ? await follow(shared, callController.signal) : null;
          if (led && key) {
            const result = led;
            const cost = price ? costOf(price.price, result.usage) : null;
            ctx.recorder.emit("cache.hit", ctx.stepId, {
              key,
              provider: target.provider,
              model: target.model,
              savedCostCents: cost?.toString() ?? null,
              savedTokens: usagePayload(result.usage),
              originalRequestId: result.requestId,
              singleFlight: true,
            });
            return { output: result.text, tokensInput: 0, tokensOutput: 0, cost: Cents.ZERO, cached: true };
          }
          const pending = call();
          if (key) {
            inflight.set(key, pending);
            void pending
              .finally(() => {
                if (inflight.get(key) === pending) inflight.delete(key);
              })
              .catch(() => {});
          }
          const result = await pending;
          const latencyMs = Math.round(performance.now() - started);
          const cost = price ? costOf(price.price, result.usage) : null;
          ctx.recorder.emit("llm.response", ctx.stepId, {
            provider: target.provider,
            model: target.model,
            responseModel: result.model,
            priceKey: price?.key ?? null,
            text: result.text,
            usage: usagePayload(result.usage),
            rawUsage: result.rawUsage,
            costCents: cost?.toString() ?? null,
            latencyMs,
            requestId: result.requestId,
            finishReason: result.finishReason,
            attempt,
            simulated: provider.simulated,
          });
          // Once stored, a crash resumes with this answer (recordedResponse) instead of calling the
          // provider again. With a cache write to come, it is sent now, alongside that write; without
          // one, the executor stores it with the step's final event, microseconds from now.
          if (key) void ctx.recorder.flush().catch(() => {});
          const tokensIn = promptTokens(result.usage);
          ctx.budget.book(tokensIn + result.usage.outputTokens, cost);
          if (key) {
            const cached: CachedResponse = {
              // As stored in the step: bytes PostgreSQL refuses are replaced, so the cache can keep it.
              text: storableString(result.text),
              requestId: result.requestId,
              finishReason: result.finishReason,
              model: result.model,
            };
            // INSERT … ON CONFLICT DO NOTHING: another executor may have stored the same answer meanwhile.
            await ctx.prisma.llmCache.createMany({
              data: [
                {
                  keyHash: key,
                  provider: target.provider,
                  model: target.model,
                  response: cached as object,
                  usage: usagePayload(result.usage) as object,
                  costCents: cost ? new Prisma.Decimal(cost.toString()) : null,
                  expiresAt: ttlSeconds ? new Date(Date.now() + ttlSeconds * 1000) : null,
                },
              ],
              skipDuplicates: true,
            });
          }
          return {
            output: result.text,
            tokensInput: tokensIn,
            tokensOutput: result.usage.outputTokens,
            cost,
            cached: false,
          };
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          lastError = error;
          if (error.kind === "canceled") throw error;
          if (error.transient && error.fallbackEligible) transientInPass = true;
          const retryable = error.transient && error.kind !== "timeout" && attempt <= policy.attempts;
          const delayMs = retryable ? backoffDelay(policy, attempt, error.details.retryAfterMs, ctx.random) : null;
          ctx.recorder.emit("retry", ctx.stepId, {
            provider: target.provider,
            model: target.model,
            attempt,
            kind: error.kind,
            status: error.details.status ?? null,
            message: error.message,
            requestId: error.details.requestId ?? null,
            partialText: error.details.partialText ?? null,
            latencyMs: Math.round(performance.now() - started),
            willRetry: retryable,
            delayMs,
          });
          if (!retryable) break;
          await ctx.sleep(delayMs ?? 0, ctx.signal);
        } finally {
          ctx.signal.removeEventListener("abort", forwardAbort);
        }
      }
      if (lastError && !lastError.fallbackEligible) break chainPasses;
    }
  }
  throw lastError ?? new Error("no provider could be called");
}

/**
 * Wait for the leader's answer of an identical call in flight. Rejects with the follower's own abort
 * reason when its signal fires first; resolves null when the leader's call was canceled (by the
 * leader's run, not by this one), so the follower makes the call itself.
 */
async function follow(shared: Promise<LlmResult>, signal: AbortSignal): Promise<LlmResult | null> {
  if (signal.aborted) throw signal.reason;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([shared, aborted]);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof ProviderError && error.kind === "canceled") return null;
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

function usagePayload(u: Usage) {
  return {
    inputTokens: u.inputTokens,
    cachedInputTokens: u.cachedInputTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    outputTokens: u.outputTokens,
    reasoningTokens: u.reasoningTokens,
  };
}
