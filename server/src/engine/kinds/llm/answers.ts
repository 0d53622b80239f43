/**
 * Answers that cost the step nothing: an exact-match cache hit, or the answer of an identical call
 * another step has in flight (single-flight). Both are booked as cache hits with what they saved.
 */
import { Cents } from "../../../domain/pricing/money.ts";
import { costOf, type ModelPrice } from "../../../domain/pricing/pricing.ts";
import type { StepResult } from "../../step-context.ts";
import type { LlmContext } from "./context.ts";
import type { Target } from "./plan.ts";
import { usagePayload } from "./store.ts";

export function cacheHitResult(output: unknown, model: string, savedCostCents: string | null): StepResult {
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

/** How the step takes an answer: the text, or an agent's turn (text and tool calls). */
type Shape = (answer: { text: string; toolCalls?: readonly unknown[] | undefined }) => unknown;

/** An agent's turn taken from the cache or a call in flight: recorded with the hit, so replay and resume find it. */
function turnFields(output: unknown, iteration: number | undefined) {
  if (iteration === undefined || typeof output !== "object" || output === null) return {};
  return {
    iteration,
    answer: output as { text: string; toolCalls: { id: string; name: string; args: Record<string, unknown> }[] },
  };
}

export async function cachedAnswer(
  ctx: LlmContext,
  key: string,
  target: Target,
  shape: Shape,
  iteration?: number,
): Promise<StepResult | null> {
  const hit = await ctx.llmStore.findCached(key);
  if (!hit) return null;
  const output = shape(hit.answer);
  ctx.recorder.emit("cache.hit", ctx.stepId, {
    ...turnFields(output, iteration),
    key,
    provider: target.provider,
    model: target.model,
    savedCostCents: hit.costCents,
    savedTokens: hit.usage,
    savedUsageSource: hit.answer.usageSource ?? "provider",
    originalRequestId: hit.answer.requestId,
  });
  return cacheHitResult(output, `${target.provider}/${target.model}`, hit.costCents);
}

/**
 * Two identical calls in flight make one provider call: the follower books the leader's answer as a
 * cache hit (it paid nothing), the leader books the cost. The follower waits on its own signal too
 * (its run may be canceled or handed off while the leader's call goes on); a leader whose own run
 * was canceled leaves it to call for itself.
 */
export async function sharedAnswer(
  call: { key: string | null; target: Target; price: ModelPrice | null },
  ctx: LlmContext,
  signal: AbortSignal,
  shape: Shape,
  iteration?: number,
): Promise<StepResult | null> {
  const led = call.key ? await ctx.singleFlight.follow(call.key, signal) : null;
  if (!led || !call.key) return null;
  const cost = call.price ? costOf(call.price, led.usage) : null;
  const output = shape(led);
  ctx.recorder.emit("cache.hit", ctx.stepId, {
    ...turnFields(output, iteration),
    key: call.key,
    provider: call.target.provider,
    model: call.target.model,
    savedCostCents: cost?.toString() ?? null,
    savedTokens: usagePayload(led.usage),
    savedUsageSource: led.usageSource,
    originalRequestId: led.requestId,
    singleFlight: true,
  });
  return cacheHitResult(output, `${call.target.provider}/${call.target.model}`, cost?.toString() ?? null);
}
