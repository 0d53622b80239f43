/**
 * The fallback chain: each target in order (skipping fallbacks that cannot be called), a fallback
 * event on every switch, and — when the chain's providers failed with transient errors — one more
 * pass after a pause before the step fails with the chain's summary.
 */
import { ChainReport } from "../../../domain/providers/chain-failure.ts";
import { ProviderError } from "../../../domain/providers/errors.ts";
import { backoffDelay } from "../../../domain/providers/retry-policy.ts";
import type { StepResult } from "../../step-context.ts";
import { callTarget } from "./attempt.ts";
import type { LlmContext } from "./context.ts";
import type { CallPlan, Target } from "./plan.ts";

function skipTarget(target: Target, ctx: LlmContext, report: ChainReport) {
  const why = target.unavailable ?? "";
  report.skipped(target.index, target.model, why);
  ctx.recorder.emit("log", ctx.stepId, {
    level: "warn",
    message: `fallback ${target.provider}/${target.model} skipped: ${why}`,
  });
}

function emitFallback(ctx: LlmContext, from: Target, to: Target, cause: ProviderError) {
  ctx.recorder.emit("fallback", ctx.stepId, {
    from: { provider: from.provider, model: from.model },
    to: { provider: to.provider, model: to.model },
    cause: { kind: cause.kind, message: cause.message, status: cause.details.status ?? null },
  });
}

/** What one walk over the chain left behind for the next pass and the final error. */
interface PassState {
  lastError: ProviderError | null;
  previous: Target | null;
  transient: boolean;
}

/** One walk over the targets: the first answer, or undefined when every target failed. */
async function runPass(
  plan: CallPlan,
  targets: Target[],
  pass: number,
  state: PassState,
  ctx: LlmContext,
  report: ChainReport,
): Promise<StepResult | undefined> {
  for (const target of targets) {
    if (target.unavailable) {
      if (pass === 0) skipTarget(target, ctx, report);
      continue;
    }
    if (state.previous && state.lastError) emitFallback(ctx, state.previous, target, state.lastError);
    state.previous = target;
    const outcome = await callTarget(plan, target, pass, ctx, report);
    if (!(outcome instanceof ProviderError)) return outcome;
    state.lastError = outcome;
    if (outcome.transient && outcome.fallbackEligible) state.transient = true;
    if (!outcome.fallbackEligible) throw report.failure() ?? outcome;
  }
  return undefined;
}

/** Call the chain until one target answers; throws the chain's failure summary when none does. */
export async function runChain(plan: CallPlan, targets: Target[], ctx: LlmContext): Promise<StepResult> {
  const report = new ChainReport(plan.chain);
  const state: PassState = { lastError: null, previous: null, transient: false };
  // When the providers of a fallback chain failed with transient errors (a burst of 5xx, 429s and
  // timeouts across vendors), the chain gets one more pass after a pause before the step fails.
  const passes = targets.filter((t) => !t.unavailable).length > 1 ? 2 : 1;
  for (let pass = 0; pass < passes; pass++) {
    if (pass > 0) {
      if (!state.transient || !state.lastError) break;
      state.transient = false;
      const retryAfterMs = state.lastError.details.retryAfterMs;
      await ctx.sleep(backoffDelay(plan.policy, plan.policy.attempts + 1, retryAfterMs, ctx.random), ctx.signal);
    }
    const answer = await runPass(plan, targets, pass, state, ctx, report);
    if (answer) return answer;
  }
  throw report.failure() ?? state.lastError ?? new Error("no provider could be called");
}
