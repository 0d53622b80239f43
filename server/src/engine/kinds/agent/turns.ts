/**
 * One model call of an agent's loop: the answer recorded by a previous executor (resume), the
 * recorded answer of the parent run (replay), or a call through the LLM wing's fallback chain —
 * with its retries, cache, single-flight, budget reservation and trace, per call.
 */
import type { ToolCall } from "../../../providers/types.ts";
import type { ReplayBook } from "../../replay.ts";
import type { StepResult } from "../../step-context.ts";
import { runChain } from "../llm/chain.ts";
import type { CallPlan } from "../llm/plan.ts";
import { replayLlm } from "../llm/replay.ts";
import type { RecordedTurn } from "./journal.ts";
import { addCall, type Loop } from "./loop.ts";

export interface Turn {
  text: string;
  toolCalls: ToolCall[];
}

function planFor(loop: Loop, iteration: number): CallPlan {
  return {
    ...loop.base,
    conversation: {
      messages: [...loop.messages],
      toolUse: loop.toolUse,
      responseFormat: loop.responseFormat,
      iteration,
    },
  };
}

function reuse(loop: Loop, iteration: number, recorded: RecordedTurn): Turn {
  const { ctx } = loop;
  ctx.budget.book(recorded.tokensInput + recorded.tokensOutput, recorded.cost);
  addCall(loop.totals, { ...recorded, usageSource: "provider" });
  ctx.recorder.emit("log", ctx.stepId, {
    level: "info",
    message: `iteration ${iteration}: reused the answer recorded before the previous executor stopped; the provider was not called again`,
  });
  return { text: recorded.text, toolCalls: recorded.toolCalls };
}

/** The parent run's answer to the same conversation (`replayLlm`); a different one is a `replay.miss`. */
async function replayTurn(loop: Loop, plan: CallPlan, book: ReplayBook): Promise<Turn> {
  const target = loop.targets[0];
  if (!target) throw new Error("an agent needs a provider");
  const result = await replayLlm(plan, target, loop.node.id, { ...loop.ctx, replay: book });
  addCall(loop.totals, result);
  const answer = result.output as Turn | string;
  return typeof answer === "string" ? { text: answer, toolCalls: [] } : answer;
}

/** The model's answer at this iteration (its tool calls, or its final text). */
export async function modelTurn(loop: Loop, iteration: number): Promise<Turn> {
  const recorded = loop.journal.turns.get(iteration);
  if (recorded) return reuse(loop, iteration, recorded);
  const plan = planFor(loop, iteration);
  if (loop.ctx.replay) return replayTurn(loop, plan, loop.ctx.replay);
  const result: StepResult = await runChain(plan, loop.targets, loop.ctx);
  addCall(loop.totals, result);
  // Stored now: a crash after this point resumes from this answer instead of paying for it again.
  await loop.ctx.recorder.flush();
  const out = result.output as Turn;
  return { text: out.text, toolCalls: out.toolCalls };
}
