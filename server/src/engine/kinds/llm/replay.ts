/** A replay answers the primary's request from the recording; it calls no provider and costs 0. */
import { cacheKey } from "../../../domain/cache-key.ts";
import { Cents } from "../../../domain/pricing/money.ts";
import { type ReplayBook, replayed } from "../../replay.ts";
import type { StepResult } from "../../step-context.ts";
import type { LlmContext } from "./context.ts";
import type { CallPlan, Target } from "./plan.ts";

export async function replayLlm(
  plan: CallPlan,
  target: Target,
  nodeId: string,
  ctx: LlmContext & { replay: ReplayBook },
): Promise<StepResult> {
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
  const text = replayed(ctx, nodeId, request, key);
  ctx.recorder.emit("replay.hit", ctx.stepId, { nodeId, sourceRunId: ctx.replay.sourceRunId, kind: "llm" });
  return {
    output: text,
    tokensInput: 0,
    tokensOutput: 0,
    cost: Cents.ZERO,
    cached: false,
    model: `${target.provider}/${target.model}`,
  };
}
