/**
 * An agent step's conversation, read from its trace: the system prompt and the task, then per
 * iteration the model's answer (text and tool calls, with its tokens and cost, or "from the cache")
 * and each tool's result (marked when it failed). Events without `iteration` are not an agent's.
 */
import type { FoldEvent } from "@flowtrace/contract/fold";

export interface ToolCallView {
  id: string;
  name: string;
  args: unknown;
}

export type Turn =
  | { role: "system" | "user"; text: string }
  | {
      role: "assistant";
      iteration: number;
      text: string;
      toolCalls: ToolCallView[];
      tokens: number | null;
      costCents: string | null;
      cached: boolean;
    }
  | { role: "tool"; iteration: number; name: string; toolCallId: string; output: unknown; isError: boolean };

type P = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" ? v : 0);

function opening(p: P): Turn[] {
  const turns: Turn[] = [];
  if (typeof p.system === "string" && p.system) turns.push({ role: "system", text: p.system });
  turns.push({ role: "user", text: String(p.prompt ?? "") });
  return turns;
}

function answerTurn(p: P, cached: boolean): Turn {
  const answer = (cached ? p.answer : p) as { text?: unknown; toolCalls?: unknown } | undefined;
  const usage = (p.usage ?? {}) as P;
  return {
    role: "assistant",
    iteration: num(p.iteration),
    text: String(answer?.text ?? ""),
    toolCalls: (Array.isArray(answer?.toolCalls) ? answer.toolCalls : []) as ToolCallView[],
    tokens: cached
      ? null
      : num(usage.inputTokens) + num(usage.cachedInputTokens) + num(usage.cacheWriteTokens) + num(usage.outputTokens),
    costCents: cached ? "0" : typeof p.costCents === "string" ? p.costCents : null,
    cached,
  };
}

/** The turns in trace order; empty for a step that is not an agent's. */
export function conversationOf(events: readonly FoldEvent[]): Turn[] {
  const turns: Turn[] = [];
  for (const e of events) {
    const p = (e.payload ?? {}) as P;
    if (typeof p.iteration !== "number") continue;
    if (e.kind === "llm.request" && p.iteration === 1 && turns.length === 0) turns.push(...opening(p));
    else if (e.kind === "llm.response") turns.push(answerTurn(p, false));
    else if (e.kind === "cache.hit" && p.answer) turns.push(answerTurn(p, true));
    else if (e.kind === "tool.response") {
      const name = String(p.tool ?? "");
      turns.push({
        role: "tool",
        iteration: p.iteration,
        name,
        toolCallId: String(p.toolCallId ?? ""),
        output: p.output,
        isError: p.isError === true,
      });
    }
  }
  return turns;
}
