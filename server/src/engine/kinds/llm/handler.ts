/**
 * The `llm` node kind's handler: a resumed step first looks in the journal for an answer it already
 * paid for; otherwise the step is planned, then answered from the recording (replay) or by the
 * fallback chain. Parts: plan.ts, chain.ts (passes × targets), attempt.ts (retries, budget, trace),
 * answers.ts (cache and single-flight), journal.ts, replay.ts, store.ts.
 */
import { ProviderError } from "../../../domain/providers/errors.ts";
import { toStorable } from "../../../domain/storable-json.ts";
import type { LlmNode } from "../../../domain/workflow/schema.ts";
import type { LlmResult } from "../../../providers/types.ts";
import { SingleFlight } from "../../single-flight.ts";
import type { StepResult } from "../../step-context.ts";
import type { NodeHandler, StepInput } from "../types.ts";
import { runChain } from "./chain.ts";
import type { LlmContext } from "./context.ts";
import { recordedResponse } from "./journal.ts";
import { type CallPlan, chainTargets, planCalls, type Target } from "./plan.ts";
import { replayLlm } from "./replay.ts";
import { structuredResult } from "./structured.ts";

/** Runs executed by one process share identical LLM calls in flight (EngineDeps.singleFlight overrides). */
export const PROCESS_SINGLE_FLIGHT = new SingleFlight<LlmResult>(
  (error) => error instanceof ProviderError && error.kind === "canceled",
);

export async function runLlmStep(node: LlmNode, input: Omit<StepInput, "scope">, ctx: LlmContext): Promise<StepResult> {
  if (ctx.resuming) {
    const recorded = await recordedResponse(ctx);
    if (recorded) return recorded;
  }
  const plan = planCalls(node, input.inputs, input.tctx);
  const targets = chainTargets(plan, node.config.temperature, ctx);
  const replay = ctx.replay;
  const call = (p: CallPlan) =>
    replay ? replayLlm(p, targets[0] as Target, node.id, { ...ctx, replay }) : runChain(p, targets, ctx);
  return structuredResult(plan, await call(plan), call);
}

export const llmHandler: NodeHandler<LlmNode> = {
  async run(node, input, ctx) {
    const result = await runLlmStep(node, input, ctx);
    return { result, edgeScope: { ...input.scope, output: toStorable(result.output) } };
  },
};
