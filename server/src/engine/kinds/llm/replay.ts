/** A replay answers the primary's request from the recording; it calls no provider and costs 0. */

import { Cents } from "../../../domain/pricing/money.ts";
import { type ReplayBook, replayed } from "../../replay.ts";
import type { StepResult } from "../../step-context.ts";
import { requestKey } from "./attempt.ts";
import type { LlmContext } from "./context.ts";
import type { CallPlan, Target } from "./plan.ts";

export async function replayLlm(
  plan: CallPlan,
  target: Target,
  nodeId: string,
  ctx: LlmContext & { replay: ReplayBook },
): Promise<StepResult> {
  const key = await requestKey(plan, target);
  const request = {
    kind: "llm" as const,
    provider: target.provider,
    model: target.model,
    system: plan.system,
    prompt: plan.prompt,
    temperature: target.temperature ?? null,
    maxTokens: plan.maxTokens,
    // A repair call (a conversation) is told apart by its whole request, as an agent's calls are.
    ...(plan.conversation ? { conversationKey: key } : {}),
  };
  const answer = replayed(ctx, nodeId, request, key);
  ctx.recorder.emit("replay.hit", ctx.stepId, { nodeId, sourceRunId: ctx.replay.sourceRunId, kind: "llm" });
  return {
    output: answer,
    tokensInput: 0,
    tokensOutput: 0,
    cost: Cents.ZERO,
    cached: false,
    model: `${target.provider}/${target.model}`,
  };
}
