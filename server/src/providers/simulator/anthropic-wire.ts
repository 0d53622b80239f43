/** The simulator's Anthropic Messages wire format: request parsing, error bodies, answers. */
import { streamErrorMessage } from "./faults.ts";
import { type Answer, type ParsedRequest, streamPieces, textOf } from "./wire.ts";
import { anthropicConversation } from "./wire-conversations.ts";

export const ANTHROPIC_REQUEST_ID_HEADER = "request-id";

export function parseAnthropic(body: Record<string, unknown>): ParsedRequest | string {
  if (typeof body.model !== "string") return "model: field required";
  if (typeof body.max_tokens !== "number") return "max_tokens: field required";
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "messages: at least one message is required";
  return {
    provider: "anthropic",
    model: body.model,
    system: typeof body.system === "string" ? body.system : textOf(body.system),
    prompt: (body.messages as { content?: unknown }[]).map((m) => textOf(m.content)).join("\n"),
    maxTokens: body.max_tokens,
    stream: body.stream === true,
    includeUsage: true,
    conversation: anthropicConversation(body),
    body,
  };
}

const ERROR_TYPES: Record<number, string> = {
  529: "overloaded_error",
  429: "rate_limit_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
};

export function anthropicErrorBody(status: number, message: string) {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return { type: "error", error: { type, message } };
}

const usageBlock = (input: number, output: number) => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
});

type Block = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

/** The answer's content blocks: its text, then its tool calls; a structured answer is the forced tool's call. */
function contentBlocks(a: Answer): Block[] {
  const forced = a.request.conversation.answerSchema;
  if (forced && a.text && a.toolCalls.length === 0) {
    let input: unknown = {};
    try {
      input = JSON.parse(a.text);
    } catch {
      input = { text: a.text };
    }
    return [{ type: "tool_use", id: `toolu_${a.id.slice(-20)}`, name: forced.name, input }];
  }
  const calls: Block[] = a.toolCalls.map((c) => ({
    type: "tool_use",
    id: c.id.replace(/^call_/, "toolu_"),
    name: c.name,
    input: c.args,
  }));
  return [...(a.text || calls.length === 0 ? [{ type: "text" as const, text: a.text }] : []), ...calls];
}

/** A tool_use block streamed: its start (empty input), its input's JSON in two pieces, its stop. */
function toolUseEvents(index: number, block: Extract<Block, { type: "tool_use" }>) {
  const json = JSON.stringify(block.input);
  const half = Math.ceil(json.length / 2);
  return [
    ["content_block_start", { index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } }],
    ["content_block_delta", { index, delta: { type: "input_json_delta", partial_json: json.slice(0, half) } }],
    ["content_block_delta", { index, delta: { type: "input_json_delta", partial_json: json.slice(half) } }],
    ["content_block_stop", { index }],
  ] as const;
}

/** The content blocks as stream events; false when a stream_cut fault dropped the connection. */
async function streamBlocks(
  a: Answer,
  blocks: Block[],
  event: (name: string, data: Record<string, unknown>) => string,
) {
  for (const [index, block] of blocks.entries()) {
    if (block.type === "tool_use") {
      for (const [name, data] of toolUseEvents(index, block)) a.res.write(event(name, data));
      continue;
    }
    a.res.write(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
    const delta = (text: string) =>
      a.res.write(event("content_block_delta", { index, delta: { type: "text_delta", text } }));
    if (!(await streamPieces(a, delta))) return false;
    a.res.write(event("content_block_stop", { index }));
  }
  return true;
}

export async function writeAnthropicAnswer(a: Answer): Promise<void> {
  const { res, request } = a;
  const blocks = contentBlocks(a);
  const usesTools = blocks.some((b) => b.type === "tool_use");
  const stopReason = usesTools ? "tool_use" : a.truncated ? "max_tokens" : "end_turn";
  const omitUsage = a.fault?.kind === "no_usage";
  if (!request.stream) {
    res.writeHead(200, { "content-type": "application/json", [ANTHROPIC_REQUEST_ID_HEADER]: a.id });
    res.end(
      JSON.stringify({
        id: `msg_${a.id}`,
        type: "message",
        role: "assistant",
        model: request.model,
        content: blocks,
        stop_reason: stopReason,
        stop_sequence: null,
        ...(omitUsage ? {} : { usage: usageBlock(a.promptTokens, a.completionTokens) }),
      }),
    );
    return;
  }
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    [ANTHROPIC_REQUEST_ID_HEADER]: a.id,
  });
  const event = (name: string, data: Record<string, unknown>) =>
    `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  const message = { id: `msg_${a.id}`, type: "message", role: "assistant", model: request.model, content: [] };
  res.write(
    event("message_start", {
      message: {
        ...message,
        stop_reason: null,
        stop_sequence: null,
        ...(omitUsage ? {} : { usage: usageBlock(a.promptTokens, 1) }),
      },
    }),
  );
  if (a.fault?.kind === "stream_error") {
    const type = a.fault.errorType;
    res.end(event("error", { error: { type, message: streamErrorMessage(type) } }));
    return;
  }
  res.write(event("ping", {}));
  if (!(await streamBlocks(a, blocks, event))) return;
  res.write(
    event("message_delta", {
      delta: { stop_reason: stopReason, stop_sequence: null },
      ...(omitUsage ? {} : { usage: { output_tokens: a.completionTokens } }),
    }),
  );
  res.end(event("message_stop", {}));
}
