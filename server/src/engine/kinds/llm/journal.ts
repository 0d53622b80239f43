/**
 * The crash-resume journal: a resumed step whose provider call already answered (its `llm.response`
 * is in the trace) reuses that answer instead of paying for the call again. The trace is the journal.
 */
import { Cents } from "../../../domain/pricing/money.ts";
import { promptTokens } from "../../../domain/pricing/pricing.ts";
import { llmResponseJournal } from "../../../domain/trace/payloads.ts";
import type { StepResult } from "../../step-context.ts";
import type { LlmContext } from "./context.ts";

export async function recordedResponse(ctx: LlmContext): Promise<StepResult | null> {
  const row = await ctx.llmStore.lastResponse(ctx.runId, ctx.stepId);
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
