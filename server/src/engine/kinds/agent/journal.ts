/**
 * An agent step's journal: what a previous executor of this step already paid for, read from the
 * trace (the trace is the journal). A resumed step takes each iteration's model answer and each
 * tool call's result from here instead of calling again; what is missing is done anew.
 */
import { Cents } from "../../../domain/pricing/money.ts";
import type { ToolCall } from "../../../providers/types.ts";
import type { LlmContext } from "../llm/context.ts";

/** A model answer recorded for an iteration, with what it cost. */
export interface RecordedTurn {
  text: string;
  toolCalls: ToolCall[];
  tokensInput: number;
  tokensOutput: number;
  tokensReasoning: number;
  cost: Cents | null;
  model: string;
}

export interface RecordedResult {
  output: unknown;
  isError: boolean;
}

export interface AgentJournal {
  turns: Map<number, RecordedTurn>;
  results: Map<string, RecordedResult>;
}

export const EMPTY_JOURNAL: AgentJournal = { turns: new Map(), results: new Map() };

type Payload = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" ? v : 0);

function turnOf(p: Payload): RecordedTurn | null {
  if (typeof p.text !== "string" || !Array.isArray(p.toolCalls) || "truncated" in p) return null;
  const usage = (p.usage ?? {}) as Payload;
  return {
    text: p.text,
    toolCalls: p.toolCalls as ToolCall[],
    tokensInput: num(usage.inputTokens) + num(usage.cachedInputTokens) + num(usage.cacheWriteTokens),
    tokensOutput: num(usage.outputTokens),
    tokensReasoning: num(usage.reasoningTokens),
    cost: typeof p.costCents === "string" ? Cents.parse(p.costCents) : null,
    model: `${String(p.provider)}/${String(p.model)}`,
  };
}

/** A cache hit's answer: the loop goes on from it, at no cost. */
function cachedTurnOf(p: Payload): RecordedTurn | null {
  const answer = p.answer as { text?: unknown; toolCalls?: unknown } | undefined;
  if (!answer || typeof answer.text !== "string" || !Array.isArray(answer.toolCalls)) return null;
  const base = { tokensInput: 0, tokensOutput: 0, tokensReasoning: 0, cost: Cents.ZERO };
  return {
    ...base,
    text: answer.text,
    toolCalls: answer.toolCalls as ToolCall[],
    model: `${String(p.provider)}/${String(p.model)}`,
  };
}

export async function readJournal(ctx: Pick<LlmContext, "llmStore" | "runId" | "stepId">): Promise<AgentJournal> {
  const events = await ctx.llmStore.stepEvents(ctx.runId, ctx.stepId, ["llm.response", "cache.hit", "tool.response"]);
  const journal: AgentJournal = { turns: new Map(), results: new Map() };
  for (const e of events) {
    const p = (e.payload ?? {}) as Payload;
    if (e.kind === "tool.response" && typeof p.toolCallId === "string" && !("truncated" in p)) {
      journal.results.set(p.toolCallId, { output: p.output, isError: p.isError === true });
      continue;
    }
    if (typeof p.iteration !== "number") continue;
    const turn = e.kind === "llm.response" ? turnOf(p) : e.kind === "cache.hit" ? cachedTurnOf(p) : null;
    if (turn) journal.turns.set(p.iteration, turn);
  }
  return journal;
}
