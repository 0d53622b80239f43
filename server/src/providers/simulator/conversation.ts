/**
 * The simulator's reading of a tool-calling request, vendor-neutral: the turns (user text, the
 * assistant's tool calls, the tool results), the tools offered with their JSON Schemas, what the
 * model may do with them, and the schema a structured answer must follow. Each wire parses into it.
 */

export interface SimToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type SimTurn =
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; toolCalls: SimToolCall[] }
  | { role: "tool"; toolCallId: string; text: string; isError: boolean };

export interface SimTool {
  name: string;
  schema: Record<string, unknown>;
}

export interface SimConversation {
  turns: SimTurn[];
  tools: SimTool[];
  /** `auto`, `required` (OpenAI) / `any` (Anthropic), `none`. */
  toolChoice: "auto" | "required" | "none";
  parallel: boolean;
  /** A structured answer's schema (OpenAI `response_format`; Anthropic a forced tool). */
  answerSchema: { name: string; schema: Record<string, unknown> } | null;
}

export const EMPTY_CONVERSATION: SimConversation = {
  turns: [],
  tools: [],
  toolChoice: "auto",
  parallel: true,
  answerSchema: null,
};

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function parseArgs(text: unknown): Record<string, unknown> {
  if (typeof text !== "string") return asRecord(text);
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return {};
  }
}

/** The user's task: the first user turn's text. */
export const taskOf = (c: SimConversation) => c.turns.find((t) => t.role === "user")?.text ?? "";

/** Tool-calling rounds so far: the assistant turns that called tools. */
export const roundsOf = (c: SimConversation) =>
  c.turns.filter((t) => t.role === "assistant" && t.toolCalls.length > 0).length;

/** The tool results the model has been given, in order. */
export const resultsOf = (c: SimConversation) =>
  c.turns.filter((t): t is Extract<SimTurn, { role: "tool" }> => t.role === "tool");
