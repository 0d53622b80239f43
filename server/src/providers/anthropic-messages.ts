/**
 * The vendor-neutral conversation, tools and answer format in Anthropic Messages' wire format: tool
 * calls are `tool_use` blocks of the assistant, their results `tool_result` blocks of the next user
 * turn (consecutive results share one turn). A structured answer is a forced tool whose input is
 * the answer (Anthropic's way to constrain output to a schema); it is turned back into text here.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { ChatMessage, LlmRequest, ToolCall } from "./types.ts";

type Param = Anthropic.Messages.MessageParam;
type Block = Anthropic.Messages.ContentBlockParam;

function assistantTurn(m: Extract<ChatMessage, { role: "assistant" }>): Param {
  const blocks: Block[] = [
    ...(m.content ? [{ type: "text" as const, text: m.content }] : []),
    ...(m.toolCalls ?? []).map((c) => ({ type: "tool_use" as const, id: c.id, name: c.name, input: c.args })),
  ];
  return { role: "assistant", content: blocks.length ? blocks : "" };
}

function toolResult(m: Extract<ChatMessage, { role: "tool" }>): Block {
  return {
    type: "tool_result",
    tool_use_id: m.toolCallId,
    content: m.content,
    ...(m.isError ? { is_error: true } : {}),
  };
}

export function anthropicMessages(req: LlmRequest): Param[] {
  const turns: ChatMessage[] = req.messages ?? [{ role: "user", content: req.prompt }];
  const out: Param[] = [];
  for (const m of turns) {
    if (m.role === "user") out.push({ role: "user", content: m.content });
    else if (m.role === "assistant") out.push(assistantTurn(m));
    else {
      const last = out.at(-1);
      if (last?.role === "user" && Array.isArray(last.content)) last.content.push(toolResult(m));
      else out.push({ role: "user", content: [toolResult(m)] });
    }
  }
  return out;
}

function toolChoice(req: LlmRequest): Anthropic.Messages.ToolChoice | undefined {
  const use = req.toolUse;
  const disable = use ? !use.parallel : false;
  if (req.responseFormat && !use?.tools.length) return { type: "tool", name: req.responseFormat.name };
  if (req.responseFormat)
    return use?.choice === "none"
      ? { type: "tool", name: req.responseFormat.name }
      : { type: "any", disable_parallel_tool_use: disable };
  if (!use?.tools.length) return undefined;
  if (use.choice === "none") return { type: "none" };
  return { type: use.choice === "required" ? "any" : "auto", disable_parallel_tool_use: disable };
}

/** `tools` (with the answer's forced tool when a structured answer is asked for) and `tool_choice`. */
export function anthropicToolParams(req: LlmRequest) {
  const tools: Anthropic.Messages.Tool[] = (req.toolUse?.tools ?? []).map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.parameters as Anthropic.Messages.Tool.InputSchema,
  }));
  const format = req.responseFormat;
  if (format) {
    tools.push({
      name: format.name,
      description: "Give your final answer by calling this tool with it.",
      input_schema: format.schema as Anthropic.Messages.Tool.InputSchema,
    });
  }
  const choice = toolChoice(req);
  return { ...(tools.length ? { tools } : {}), ...(choice ? { tool_choice: choice } : {}) };
}

/** A call of the answer's forced tool is the answer: its input becomes the text, and it is not a tool call. */
export function answerFromCalls(req: LlmRequest, text: string, calls: ToolCall[]) {
  const name = req.responseFormat?.name;
  const answer = name ? calls.find((c) => c.name === name) : undefined;
  if (!answer) return { text, toolCalls: calls };
  return { text: answer.badArgs ?? JSON.stringify(answer.args), toolCalls: calls.filter((c) => c !== answer) };
}
