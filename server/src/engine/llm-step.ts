/**
 * One LLM step: render, apply the provider binding, consult the exact-match cache (single-flight),
 * then call providers with retries (full-jitter backoff, honouring retry-after) and fallbacks,
 * recording every request, response, retry and switch as trace events.
 */
import { createHash } from "node:crypto";
import { cacheKey } from "../domain/cache-key.ts";
import { canonicalJson } from "../domain/canonical-json.ts";
import { Cents } from "../domain/pricing/money.ts";
import { costLines, costOf, EMPTY_USAGE, type ModelPrice, promptTokens } from "../domain/pricing/pricing.ts";
import { ChainReport } from "../domain/providers/chain-failure.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from "../domain/providers/retry-policy.ts";
import { llmResponseJournal } from "../domain/trace/payloads.ts";
import type { LlmNode } from "../domain/workflow/schema.ts";
import { renderString, type TemplateContext } from "../domain/workflow/templates.ts";
import { attemptSpanId, formatTraceParent } from "../observability/trace-context.ts";
import type { LlmProvider, LlmResult } from "../providers/types.ts";
import { unconfiguredProvider } from "../providers/unconfigured.ts";
import { estimateTokens, type Reservation } from "./budget.ts";
import { findCached, storeCached, usagePayload } from "./llm-cache.ts";
import { replayed } from "./replay.ts";
import { SingleFlight } from "./single-flight.ts";
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

/** Runs executed by one process share identical LLM calls in flight (EngineDeps.singleFlight overrides). */
export const PROCESS_SINGLE_FLIGHT = new SingleFlight<LlmResult>(
  (error) => error instanceof ProviderError && error.kind === "canceled",
);

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
  // Parsed with the event's own schema: a payload that does not match it (a field renamed since it
  // was stored) is not reused, and the call is made again rather than trusting a guess.
  const parsed = llmResponseJournal.safeParse(row.payload);
  if (!parsed.success) return null;
  const p = parsed.data;
  // A response too long for the trace was cut there: call again rather than reuse a partial answer.
  if ("truncated" in (row.payload as object)) return null;
  const cost = p.costCents ? Cents.parse(p.costCents) : null;
  const tokensIn = promptTokens(p.usage);
  ctx.budget.book(tokensIn + p.usage.outputTokens, cost);
  ctx.recorder.emit("log", ctx.stepId, {
    level: "info",
    message: `reused the ${p.provider}/${p.model} response recorded at seq ${row.seq} before the previous executor stopped; the provider was not called again`,
  });
  return {
    output: p.text,
    tokensInput: tokensIn,
    tokensOutput: p.usage.outputTokens,
    tokensReasoning: p.usage.reasoningTokens,
    cost,
    cached: false,
    usageSource: p.usageSource,
    model: `${p.provider}/${p.model}`,
  };
}

/** Everything a step's calls share: the rendered prompt, limits, retry policy, cache and chain. */
interface CallPlan {
  system: string | null;
  prompt: string;
  inputs: Record<string, unknown>;
  maxTokens: number;
  timeoutMs: number;
  policy: RetryPolicy;
  cacheEnabled: boolean;
  ttlSeconds: number | undefined;
  chain: { provider: string; model: string }[];
}

function planCalls(node: LlmNode, inputs: Record<string, unknown>, tctx: TemplateContext, ctx: StepContext): CallPlan {
  const cfg = node.config;
  return {
    system: cfg.system !== undefined ? renderString(cfg.system, tctx) : null,
    prompt: cfg.prompt !== undefined ? renderString(cfg.prompt, tctx) : defaultPrompt(inputs),
    inputs,
    maxTokens: cfg.maxTokens ?? 1024,
    timeoutMs: cfg.timeoutMs ?? 60_000,
    policy: {
      attempts: cfg.retry?.attempts ?? DEFAULT_RETRY.attempts,
      baseMs: cfg.retry?.backoffBaseMs ?? DEFAULT_RETRY.baseMs,
      maxMs: cfg.retry?.backoffMaxMs ?? DEFAULT_RETRY.maxMs,
    },
    // A node with a forced (demo) fault bypasses the cache, so the error it asks for really happens.
    cacheEnabled: cfg.cache !== false && !(typeof cfg.cache === "object" && cfg.cache.enabled === false) && !ctx.fault,
    ttlSeconds: typeof cfg.cache === "object" ? cfg.cache.ttlSeconds : undefined,
    chain: [
      { provider: cfg.provider, model: cfg.model },
      ...(cfg.fallbacks ?? defaultFallbacks(cfg.provider, cfg.model)),
    ],
  };
}

/** One entry of the chain as it will be called: its position, the binding applied, and its provider. */
interface Target {
  index: number;
  provider: string;
  model: string;
  temperature: number | undefined;
  binding: { model: string; temperature: number | null } | undefined;
  client: LlmProvider;
  /** Why this fallback cannot be called (its provider is not configured); it is skipped when reached. */
  unavailable: string | undefined;
}

/**
 * The chain with bindings applied. A fallback whose provider cannot be called is marked: when the
 * chain reaches it, it is skipped with a log event and listed as skipped in the failure summary,
 * never blamed for it. The primary is always called, so its own "not configured" is the step's error.
 */
function chainTargets(plan: CallPlan, node: LlmNode, ctx: StepContext): Target[] {
  return plan.chain.map((requested, index) => {
    const binding = ctx.bindings.get(requested.provider);
    const client = ctx.providers.get(requested.provider);
    const temperature = binding?.temperature ?? node.config.temperature;
    return {
      index,
      provider: requested.provider,
      model: binding?.model ?? requested.model,
      temperature: temperature ?? undefined,
      binding,
      client: client ?? unconfiguredProvider(requested.provider, "openai"),
      unavailable: index > 0 ? (client ? client.unavailable : "not configured") : undefined,
    };
  });
}

function skipTarget(target: Target, ctx: StepContext, report: ChainReport) {
  const why = target.unavailable ?? "";
  report.skipped(target.index, target.model, why);
  ctx.recorder.emit("log", ctx.stepId, {
    level: "warn",
    message: `fallback ${target.provider}/${target.model} skipped: ${why}`,
  });
}

export async function runLlmStep(
  node: LlmNode,
  inputs: Record<string, unknown>,
  tctx: TemplateContext,
  ctx: StepContext,
): Promise<StepResult> {
  if (ctx.resuming) {
    const recorded = await recordedResponse(ctx);
    if (recorded) return recorded;
  }
  const plan = planCalls(node, inputs, tctx, ctx);
  const targets = chainTargets(plan, node, ctx);
  if (ctx.replay) return replayLlm(plan, targets[0] as Target, node, ctx);
  const report = new ChainReport(plan.chain);
  let lastError: ProviderError | null = null;
  let previous: Target | null = null;
  // When the providers of a fallback chain failed with transient errors (a burst of 5xx, 429s and
  // timeouts across vendors), the chain gets one more pass after a pause before the step fails.
  const passes = targets.filter((t) => !t.unavailable).length > 1 ? 2 : 1;
  let transientInPass = false;
  for (let pass = 0; pass < passes; pass++) {
    if (pass > 0) {
      if (!transientInPass || !lastError) break;
      transientInPass = false;
      await ctx.sleep(
        backoffDelay(plan.policy, plan.policy.attempts + 1, lastError.details.retryAfterMs, ctx.random),
        ctx.signal,
      );
    }
    for (const target of targets) {
      if (target.unavailable) {
        if (pass === 0) skipTarget(target, ctx, report);
        continue;
      }
      if (previous && lastError) emitFallback(ctx, previous, target, lastError);
      previous = target;
      const outcome = await callTarget(plan, target, pass, ctx, report);
      if (!(outcome instanceof ProviderError)) return outcome;
      lastError = outcome;
      if (outcome.transient && outcome.fallbackEligible) transientInPass = true;
      if (!outcome.fallbackEligible) throw report.failure() ?? outcome;
    }
  }
  throw report.failure() ?? lastError ?? new Error("no provider could be called");
}

/** A replay answers the primary's request from the recording; it calls no provider and costs 0. */
async function replayLlm(plan: CallPlan, target: Target, node: LlmNode, ctx: StepContext): Promise<StepResult> {
  const request = {
    kind: "llm" as const,
    provider: target.provider,
    model: target.model,
    system: plan.system,
    prompt: plan.prompt,
    temperature: target.temperature ?? null,
    maxTokens: plan.maxTokens,
  };
  const key = await cacheKey({
    provider: target.provider,
    model: target.model,
    system: plan.system,
    prompt: plan.prompt,
    inputs: plan.inputs,
    params: { temperature: request.temperature, maxTokens: plan.maxTokens },
  });
  const text = replayed(ctx, node.id, request, key);
  ctx.recorder.emit("replay.hit", ctx.stepId, {
    nodeId: node.id,
    sourceRunId: ctx.replay?.sourceRunId ?? "",
    kind: "llm",
  });
  return {
    output: text,
    tokensInput: 0,
    tokensOutput: 0,
    cost: Cents.ZERO,
    cached: false,
    model: `${target.provider}/${target.model}`,
  };
}

function emitFallback(ctx: StepContext, from: Target, to: Target, cause: ProviderError) {
  ctx.recorder.emit("fallback", ctx.stepId, {
    from: { provider: from.provider, model: from.model },
    to: { provider: to.provider, model: to.model },
    cause: { kind: cause.kind, message: cause.message, status: cause.details.status ?? null },
  });
}

/** A target's cache lookup, then its attempts with retries; a ProviderError is returned when all failed. */
async function callTarget(
  plan: CallPlan,
  target: Target,
  pass: number,
  ctx: StepContext,
  report: ChainReport,
): Promise<StepResult | ProviderError> {
  const params = { temperature: target.temperature ?? null, maxTokens: plan.maxTokens };
  const key = plan.cacheEnabled
    ? await cacheKey({
        provider: target.provider,
        model: target.model,
        system: plan.system,
        prompt: plan.prompt,
        inputs: plan.inputs,
        params,
      })
    : null;
  if (key && ctx.cacheRead) {
    const hit = await cachedAnswer(ctx, key, target);
    if (hit) return hit;
  }
  const price = ctx.prices.resolve(target.provider, target.model);
  if (!price) {
    ctx.recorder.emit("log", ctx.stepId, {
      level: "warn",
      message: `no price for ${target.provider}/${target.model}: cost is unknown (null), not 0; add it with FLOWTRACE_PRICING_FILE`,
    });
  }
  const position = pass * plan.chain.length + target.index;
  let error: ProviderError | null = null;
  for (let attempt = 1; attempt <= plan.policy.attempts + 1; attempt++) {
    const call: Call = {
      plan,
      target,
      attempt,
      position,
      key,
      price: price?.price ?? null,
      priceKey: price?.key ?? null,
    };
    const started = performance.now();
    try {
      return await attemptCall(call, ctx);
    } catch (caught) {
      if (!(caught instanceof ProviderError)) throw caught;
      error = caught;
      if (caught.kind === "canceled") throw caught;
      report.failed(target.index, target.model, caught);
      const delayMs = recordRetry(call, caught, Math.round(performance.now() - started), ctx);
      if (delayMs === null) break;
      await ctx.sleep(delayMs, ctx.signal);
    }
  }
  return (
    error ?? new ProviderError("server", "no attempt was made", { provider: target.provider, model: target.model })
  );
}

async function cachedAnswer(ctx: StepContext, key: string, target: Target): Promise<StepResult | null> {
  const hit = await findCached(ctx.prisma, key);
  if (!hit) return null;
  ctx.recorder.emit("cache.hit", ctx.stepId, {
    key,
    provider: target.provider,
    model: target.model,
    savedCostCents: hit.costCents,
    savedTokens: hit.usage,
    savedUsageSource: hit.answer.usageSource ?? "provider",
    originalRequestId: hit.answer.requestId,
  });
  return cacheHitResult(hit.answer.text, `${target.provider}/${target.model}`, hit.costCents);
}

function cacheHitResult(output: string, model: string, savedCostCents: string | null): StepResult {
  return {
    output,
    tokensInput: 0,
    tokensOutput: 0,
    cost: Cents.ZERO,
    cached: true,
    usageSource: "provider",
    model,
    savedCostCents,
  };
}

/** One attempt at one target. */
interface Call {
  plan: CallPlan;
  target: Target;
  attempt: number;
  /** Position in the chain over all passes (idempotency keys derive from it). */
  position: number;
  key: string | null;
  price: ModelPrice | null;
  priceKey: string | null;
}

/** The call's worst case, held in the run's budget until it settles. */
function worstCase(call: Call): { tokens: number; cost: Cents | null } {
  const { plan } = call;
  const inputEstimate = estimateTokens(`${plan.system ?? ""}${plan.prompt}`);
  const cost = call.price
    ? costOf(call.price, { ...EMPTY_USAGE, inputTokens: inputEstimate, outputTokens: plan.maxTokens })
    : null;
  return { tokens: inputEstimate + plan.maxTokens, cost };
}

async function attemptCall(call: Call, ctx: StepContext): Promise<StepResult> {
  const { plan, target } = call;
  const worst = worstCase(call);
  let held: Reservation | null = ctx.budget.reserve(worst.tokens, worst.cost);
  // A cancel or hand-off that arrived before this call starts stops it here: a listener added to
  // an already aborted signal never fires, and the call would run to its end.
  if (ctx.signal.aborted) {
    ctx.budget.release(held);
    throw ctx.signal.reason;
  }
  const request = ctx.recorder.emit("llm.request", ctx.stepId, {
    provider: target.provider,
    model: target.model,
    temperature: target.temperature ?? null,
    maxTokens: plan.maxTokens,
    timeoutMs: plan.timeoutMs,
    system: plan.system,
    prompt: plan.prompt,
    attempt: call.attempt,
    simulated: target.client.simulated,
    cacheKey: call.key,
    ...(target.binding ? { binding: { model: target.binding.model, temperature: target.binding.temperature } } : {}),
  });
  const started = performance.now();
  // A per-call signal linked to the run's: the SDK adds a listener per request, and the run's own
  // signal would otherwise collect one per call for the whole run.
  const callController = new AbortController();
  const forwardAbort = () => callController.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", forwardAbort, { once: true });
  try {
    const shared = await sharedAnswer(call, ctx, callController.signal);
    if (shared) return shared;
    const result = await startCall(call, ctx, callController.signal, request.seq);
    const cost = call.price ? costOf(call.price, result.usage) : null;
    const reservation = held;
    held = null;
    return await recordAnswer(call, ctx, result, cost, Math.round(performance.now() - started), reservation);
  } finally {
    if (held) ctx.budget.release(held);
    ctx.signal.removeEventListener("abort", forwardAbort);
  }
}

/**
 * Two identical calls in flight make one provider call: the follower books the leader's answer as a
 * cache hit (it paid nothing), the leader books the cost. The follower waits on its own signal too
 * (its run may be canceled or handed off while the leader's call goes on); a leader whose own run
 * was canceled leaves it to call for itself.
 */
async function sharedAnswer(call: Call, ctx: StepContext, signal: AbortSignal): Promise<StepResult | null> {
  const led = call.key ? await ctx.singleFlight.follow(call.key, signal) : null;
  if (!led || !call.key) return null;
  const cost = call.price ? costOf(call.price, led.usage) : null;
  ctx.recorder.emit("cache.hit", ctx.stepId, {
    key: call.key,
    provider: call.target.provider,
    model: call.target.model,
    savedCostCents: cost?.toString() ?? null,
    savedTokens: usagePayload(led.usage),
    savedUsageSource: led.usageSource,
    originalRequestId: led.requestId,
    singleFlight: true,
  });
  return cacheHitResult(led.text, `${call.target.provider}/${call.target.model}`, cost?.toString() ?? null);
}

function startCall(call: Call, ctx: StepContext, signal: AbortSignal, requestSeq: number): Promise<LlmResult> {
  const { plan, target } = call;
  const headers = {
    "Idempotency-Key": idempotencyKey(ctx.runId, ctx.stepId, call.position, call.attempt),
    // W3C trace context: the provider (or a proxy in front of it) sees this attempt's span as parent.
    ...(ctx.trace
      ? {
          traceparent: formatTraceParent({
            traceId: ctx.trace.traceId,
            spanId: attemptSpanId(ctx.runId, requestSeq),
            flags: ctx.trace.flags,
          }),
        }
      : {}),
  };
  const pending = target.client.complete({
    model: target.model,
    ...(plan.system !== null ? { system: plan.system } : {}),
    prompt: plan.prompt,
    ...(target.temperature !== undefined ? { temperature: target.temperature } : {}),
    maxTokens: plan.maxTokens,
    timeoutMs: plan.timeoutMs,
    signal,
    onDelta: (text) => ctx.recorder.delta(ctx.stepId, text),
    headers,
    // The demo fault hits the primary provider only, so the fallback can show recovery.
    ...(ctx.fault && target.index === 0 ? { fault: ctx.fault } : {}),
  });
  return call.key ? ctx.singleFlight.lead(call.key, pending) : pending;
}

/** The answer into the trace, the budget and the cache; then the step's result. */
async function recordAnswer(
  call: Call,
  ctx: StepContext,
  result: LlmResult,
  cost: Cents | null,
  latencyMs: number,
  reservation: Reservation,
): Promise<StepResult> {
  const { target } = call;
  ctx.recorder.emit("llm.response", ctx.stepId, {
    provider: target.provider,
    model: target.model,
    responseModel: result.model,
    priceKey: call.priceKey,
    text: result.text,
    usage: usagePayload(result.usage),
    usageSource: result.usageSource,
    rawUsage: result.rawUsage,
    costCents: cost?.toString() ?? null,
    ...(call.price ? { costBreakdown: costLines(call.price, result.usage) } : {}),
    latencyMs,
    requestId: result.requestId,
    finishReason: result.finishReason,
    attempt: call.attempt,
    simulated: target.client.simulated,
  });
  if (result.usageSource === "estimated") {
    ctx.recorder.emit("log", ctx.stepId, {
      level: "warn",
      message: `${target.provider}/${target.model}: ${result.usageNote ?? "the provider reported no usage"}; tokens were counted with FlowTrace's tokenizer (o200k_base: the prompt as sent, the text as received)${cost ? " and priced" : ""}, so this step's tokens and cost are estimated`,
    });
  }
  // Once stored, a crash resumes with this answer (recordedResponse) instead of calling the
  // provider again. With a cache write to come, it is sent now, alongside that write; without
  // one, the executor stores it with the step's final event, microseconds from now.
  if (call.key) void ctx.recorder.flush().catch(() => {});
  const tokensIn = promptTokens(result.usage);
  ctx.budget.settle(reservation, tokensIn + result.usage.outputTokens, cost);
  if (call.key) {
    const { provider, model } = call.target;
    await storeCached(ctx.prisma, { key: call.key, provider, model, result, cost, ttlSeconds: call.plan.ttlSeconds });
  }
  return {
    output: result.text,
    tokensInput: tokensIn,
    tokensOutput: result.usage.outputTokens,
    tokensReasoning: result.usage.reasoningTokens,
    cost,
    cached: false,
    usageSource: result.usageSource,
    model: `${call.target.provider}/${call.target.model}`,
  };
}

/** The `retry` event of a failed attempt; returns the delay before the next one, or null for none. */
function recordRetry(call: Call, error: ProviderError, latencyMs: number, ctx: StepContext): number | null {
  const { policy } = call.plan;
  const retryable = error.transient && error.kind !== "timeout" && call.attempt <= policy.attempts;
  const delayMs = retryable ? backoffDelay(policy, call.attempt, error.details.retryAfterMs, ctx.random) : null;
  ctx.recorder.emit("retry", ctx.stepId, {
    provider: call.target.provider,
    model: call.target.model,
    attempt: call.attempt,
    kind: error.kind,
    status: error.details.status ?? null,
    message: error.message,
    requestId: error.details.requestId ?? null,
    partialText: error.details.partialText ?? null,
    latencyMs,
    willRetry: retryable,
    delayMs,
  });
  return delayMs;
}
