/** Each vendor's tool-calling request, read into the simulator's conversation (conversation.ts). */
import { EMPTY_CONVERSATION, parseArgs, type SimConversation, type SimTool, type SimTurn } from "./conversation.ts";
import { textOf } from "./wire.ts";

type Json = Record<string, unknown>;
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

function openAITurn(m: Json): SimTurn | null {
  if (m.role === "user") return { role: "user", text: textOf(m.content) };
  if (m.role === "tool")
    return { role: "tool", toolCallId: String(m.tool_call_id), text: textOf(m.content), isError: false };
  if (m.role !== "assistant") return null;
  const calls = list(m.tool_calls).map((c) => {
    const fn = (c.function ?? {}) as Json;
    return { id: String(c.id), name: String(fn.name), args: parseArgs(fn.arguments) };
  });
  return { role: "assistant", text: textOf(m.content), toolCalls: calls };
}

export function openAIConversation(body: Json): SimConversation {
  const tools: SimTool[] = list(body.tools).map((t) => {
    const fn = (t.function ?? {}) as Json;
    return { name: String(fn.name), schema: (fn.parameters ?? {}) as Json };
  });
  const format = (body.response_format ?? null) as Json | null;
  const jsonSchema = format?.type === "json_schema" ? ((format.json_schema ?? {}) as Json) : null;
  const choice = body.tool_choice;
  return {
    turns: list(body.messages)
      .map(openAITurn)
      .filter((t): t is SimTurn => t !== null),
    tools,
    toolChoice: choice === "required" || choice === "none" ? choice : "auto",
    parallel: body.parallel_tool_calls !== false,
    answerSchema: jsonSchema
      ? { name: String(jsonSchema.name ?? "answer"), schema: (jsonSchema.schema ?? {}) as Json }
      : null,
  };
}

function anthropicTurns(m: Json): SimTurn[] {
  const blocks = typeof m.content === "string" ? [{ type: "text", text: m.content }] : list(m.content);
  if (m.role === "assistant") {
    const calls = blocks
      .filter((b) => b.type === "tool_use")
      .map((b) => ({ id: String(b.id), name: String(b.name), args: parseArgs(b.input) }));
    return [{ role: "assistant", text: textOf(blocks.filter((b) => b.type === "text")), toolCalls: calls }];
  }
  const results: SimTurn[] = blocks
    .filter((b) => b.type === "tool_result")
    .map((b) => ({
      role: "tool",
      toolCallId: String(b.tool_use_id),
      text: textOf(b.content),
      isError: b.is_error === true,
    }));
  const text = textOf(blocks.filter((b) => b.type === "text"));
  return text ? [...results, { role: "user", text }] : results;
}

/** The description FlowTrace gives the forced tool that carries a structured answer. */
const ANSWER_TOOL = /final answer/i;

export function anthropicConversation(body: Json): SimConversation {
  const all = list(body.tools).map((t) => ({
    name: String(t.name),
    schema: (t.input_schema ?? {}) as Json,
    about: String(t.description ?? ""),
  }));
  const choice = (body.tool_choice ?? {}) as Json;
  // Only a forced tool choice names a tool.
  const forced =
    typeof choice.name === "string"
      ? all.find((t) => t.name === choice.name)
      : all.find((t) => ANSWER_TOOL.test(t.about));
  return {
    ...EMPTY_CONVERSATION,
    turns: list(body.messages).flatMap(anthropicTurns),
    tools: all.filter((t) => t !== forced).map(({ name, schema }) => ({ name, schema })),
    toolChoice: choice.type === "any" ? "required" : choice.type === "none" ? "none" : "auto",
    parallel: choice.disable_parallel_tool_use !== true,
    answerSchema: forced ? { name: forced.name, schema: forced.schema } : null,
  };
}
