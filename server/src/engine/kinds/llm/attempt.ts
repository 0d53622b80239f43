/**
 * One target of the chain: its cache lookup, then its attempts with retries (full-jitter backoff,
 * honouring retry-after). Each attempt holds its worst case in the run's budget until it settles,
 * and records its request, its answer or its `retry` in the trace.
 */
import { createHash } from "node:crypto";
import { cacheKey } from "../../../domain/cache-key.ts";
import type { Cents } from "../../../domain/pricing/money.ts";
import { costLines, costOf, EMPTY_USAGE, type ModelPrice, promptTokens } from "../../../domain/pricing/pricing.ts";
import type { ChainReport } from "../../../domain/providers/chain-failure.ts";
import { ProviderError } from "../../../domain/providers/errors.ts";
import { backoffDelay } from "../../../domain/providers/retry-policy.ts";
import { attemptSpanId, formatTraceParent } from "../../../observability/trace-context.ts";
import type { LlmResult } from "../../../providers/types.ts";
import { estimateTokens, type Reservation } from "../../budget.ts";
import type { StepResult } from "../../step-context.ts";
import { cachedAnswer, sharedAnswer } from "./answers.ts";
import type { LlmContext } from "./context.ts";
import type { CallPlan, Target } from "./plan.ts";
import { usagePayload } from "./store.ts";

/**
 * Idempotency key of one provider call: stable across executors for the same run, step, provider
 * in the chain and attempt, so a call repeated after a crash can be recognised by a gateway that
 * honours `Idempotency-Key` (the simulator does; vendors that don't simply ignore the header).
 */
export function idempotencyKey(
  runId: string,
  stepId: string,
  chainIndex: number,
  attempt: number,
  iteration?: number,
): string {
  // An agent's iterations are different calls: each has its own key (an `llm` step's key is unchanged).
  const material = `${runId}:${stepId}:${chainIndex}:${attempt}${iteration === undefined ? "" : `:${iteration}`}`;
  return `ft-${createHash("sha256").update(material).digest("hex").slice(0, 32)}`;
}

/** One attempt at one target. */
interface Call {
  plan: CallPlan;
  target: Target;
  attempt: number;
  /** Position in the chain over all passes (idempotency keys derive from it). */
  position: number;
  key: string | null;
  /** An agent's call: the key of the whole request (what a replay matches), cache on or off. */
  conversationKey: string | null;
  price: ModelPrice | null;
  priceKey: string | null;
}

/** What an agent's call sends beyond the prompt: the conversation, the tools and the answer format. */
export function conversationParams(plan: CallPlan): Record<string, unknown> {
  const c = plan.conversation;
  // Only when set: an `llm` step without an answer schema keeps the cache keys it always had.
  if (!c) return plan.responseFormat ? { responseFormat: plan.responseFormat } : {};
  return {
    messages: c.messages,
    tools: c.toolUse ?? null,
    responseFormat: c.responseFormat ?? null,
  };
}

export function requestKey(plan: CallPlan, target: Target): Promise<string> {
  return cacheKey({
    provider: target.provider,
    model: target.model,
    system: plan.system,
    prompt: plan.prompt,
    inputs: plan.inputs,
    params: { temperature: target.temperature ?? null, maxTokens: plan.maxTokens, ...conversationParams(plan) },
  });
}

/** A call's answer as the step (or an agent's loop) takes it: the text, or an agent's turn with its tool calls. */
export function callOutput(plan: CallPlan, answer: { text: string; toolCalls?: readonly unknown[] | undefined }) {
  return plan.conversation ? { text: answer.text, toolCalls: answer.toolCalls ?? [] } : answer.text;
}

function resolvePrice(target: Target, ctx: LlmContext) {
  const price = ctx.prices.resolve(target.provider, target.model);
  if (!price) {
    ctx.recorder.emit("log", ctx.stepId, {
      level: "warn",
      message: `no price for ${target.provider}/${target.model}: cost is unknown (null), not 0; add it with FLOWTRACE_PRICING_FILE`,
    });
  }
  return price;
}

/** A target's cache lookup, then its attempts with retries; a ProviderError is returned when all failed. */
export async function callTarget(
  plan: CallPlan,
  target: Target,
  pass: number,
  ctx: LlmContext,
  report: ChainReport,
): Promise<StepResult | ProviderError> {
  const wholeKey = plan.cacheEnabled || plan.conversation ? await requestKey(plan, target) : null;
  const key = plan.cacheEnabled ? wholeKey : null;
  if (key && ctx.cacheRead) {
    const hit = await cachedAnswer(ctx, key, target, (a) => callOutput(plan, a), plan.conversation?.iteration);
    if (hit) return hit;
  }
  const price = resolvePrice(target, ctx);
  const conversationKey = plan.conversation ? wholeKey : null;
  const base = { plan, target, key, conversationKey, price: price?.price ?? null, priceKey: price?.key ?? null };
  const position = pass * plan.chain.length + target.index;
  let error: ProviderError | null = null;
  for (let attempt = 1; attempt <= plan.policy.attempts + 1; attempt++) {
    const call: Call = { ...base, attempt, position };
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

/** The call's worst case, held in the run's budget until it settles. */
function worstCase(call: Call): { tokens: number; cost: Cents | null } {
  const { plan } = call;
  const sent = plan.conversation ? JSON.stringify(conversationParams(plan)) : plan.prompt;
  const inputEstimate = estimateTokens(`${plan.system ?? ""}${sent}`);
  const cost = call.price
    ? costOf(call.price, { ...EMPTY_USAGE, inputTokens: inputEstimate, outputTokens: plan.maxTokens })
    : null;
  return { tokens: inputEstimate + plan.maxTokens, cost };
}

function emitRequest(call: Call, ctx: LlmContext) {
  const { plan, target } = call;
  const c = plan.conversation;
  return ctx.recorder.emit("llm.request", ctx.stepId, {
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
    ...(c
      ? {
          iteration: c.iteration,
          tools: c.toolUse?.tools.map((t) => t.name) ?? [],
          ...(call.conversationKey ? { conversationKey: call.conversationKey } : {}),
        }
      : {}),
  });
}

/** A per-call signal linked to the run's: the SDK adds a listener per request, which would pile up on the run's. */
function linkedSignal(signal: AbortSignal): { signal: AbortSignal; unlink(): void } {
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  return { signal: controller.signal, unlink: () => signal.removeEventListener("abort", forward) };
}

async function attemptCall(call: Call, ctx: LlmContext): Promise<StepResult> {
  const worst = worstCase(call);
  await ctx.spendGuard();
  let held: Reservation | null = ctx.budget.reserve(worst.tokens, worst.cost);
  // A cancel or hand-off that arrived before this call starts stops it here: a listener added to
  // an already aborted signal never fires, and the call would run to its end.
  if (ctx.signal.aborted) {
    ctx.budget.release(held);
    throw ctx.signal.reason;
  }
  const request = emitRequest(call, ctx);
  const started = performance.now();
  const link = linkedSignal(ctx.signal);
  try {
    const iteration = call.plan.conversation?.iteration;
    const shared = await sharedAnswer(call, ctx, link.signal, (a) => callOutput(call.plan, a), iteration);
    if (shared) return shared;
    const result = await startCall(call, ctx, link.signal, request.seq);
    const cost = call.price ? costOf(call.price, result.usage) : null;
    const reservation = held;
    held = null;
    return await recordAnswer(call, ctx, result, cost, Math.round(performance.now() - started), reservation);
  } finally {
    if (held) ctx.budget.release(held);
    link.unlink();
  }
}

function callHeaders(call: Call, ctx: LlmContext, requestSeq: number): Record<string, string> {
  return {
    "Idempotency-Key": idempotencyKey(
      ctx.runId,
      ctx.stepId,
      call.position,
      call.attempt,
      call.plan.conversation?.iteration,
    ),
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
}

function startCall(call: Call, ctx: LlmContext, signal: AbortSignal, requestSeq: number): Promise<LlmResult> {
  const { plan, target } = call;
  const c = plan.conversation;
  const pending = target.client.complete({
    model: target.model,
    ...(plan.system !== null ? { system: plan.system } : {}),
    prompt: plan.prompt,
    ...(c ? { messages: c.messages } : {}),
    ...(c?.toolUse ? { toolUse: c.toolUse } : {}),
    ...((c?.responseFormat ?? plan.responseFormat) ? { responseFormat: c?.responseFormat ?? plan.responseFormat } : {}),
    ...(target.temperature !== undefined ? { temperature: target.temperature } : {}),
    maxTokens: plan.maxTokens,
    timeoutMs: plan.timeoutMs,
    signal,
    onDelta: (text) => ctx.recorder.delta(ctx.stepId, text),
    headers: callHeaders(call, ctx, requestSeq),
    // The demo fault hits the primary provider only, so the fallback can show recovery.
    ...(plan.fault && target.index === 0 ? { fault: plan.fault } : {}),
  });
  return call.key ? ctx.singleFlight.lead(call.key, pending) : pending;
}

function emitResponse(call: Call, ctx: LlmContext, result: LlmResult, cost: Cents | null, latencyMs: number) {
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
    ...(call.plan.conversation ? { iteration: call.plan.conversation.iteration, toolCalls: result.toolCalls } : {}),
  });
  if (result.usageSource === "estimated") {
    ctx.recorder.emit("log", ctx.stepId, {
      level: "warn",
      message: `${target.provider}/${target.model}: ${result.usageNote ?? "the provider reported no usage"}; tokens were counted with FlowTrace's tokenizer (o200k_base: the prompt as sent, the text as received)${cost ? " and priced" : ""}, so this step's tokens and cost are estimated`,
    });
  }
}

/** The answer into the trace, the budget and the cache; then the step's result. */
async function recordAnswer(
  call: Call,
  ctx: LlmContext,
  result: LlmResult,
  cost: Cents | null,
  latencyMs: number,
  reservation: Reservation,
): Promise<StepResult> {
  emitResponse(call, ctx, result, cost, latencyMs);
  // Once stored, a crash resumes with this answer (journal.ts) instead of calling the provider
  // again. With a cache write to come, it is sent now, alongside that write; without one, the
  // executor stores it with the step's final event, microseconds from now.
  if (call.key) void ctx.recorder.flush().catch(() => {});
  const tokensIn = promptTokens(result.usage);
  ctx.budget.settle(reservation, tokensIn + result.usage.outputTokens, cost);
  const { provider, model } = call.target;
  if (call.key) {
    const entry = { key: call.key, provider, model, result, cost, ttlSeconds: call.plan.ttlSeconds };
    await ctx.llmStore.storeCached({ ...entry, withToolCalls: call.plan.conversation !== undefined });
  }
  return {
    output: callOutput(call.plan, result),
    tokensInput: tokensIn,
    tokensOutput: result.usage.outputTokens,
    tokensReasoning: result.usage.reasoningTokens,
    cost,
    cached: false,
    usageSource: result.usageSource,
    model: `${provider}/${model}`,
  };
}

/** The `retry` event of a failed attempt; returns the delay before the next one, or null for none. */
function recordRetry(call: Call, error: ProviderError, latencyMs: number, ctx: LlmContext): number | null {
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
