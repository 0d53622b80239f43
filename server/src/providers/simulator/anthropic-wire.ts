/** The simulator's Anthropic Messages wire format: request parsing, error bodies, answers. */
import { streamErrorMessage } from "./faults.ts";
import { type Answer, type ParsedRequest, streamPieces, textOf } from "./wire.ts";

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

export async function writeAnthropicAnswer(a: Answer): Promise<void> {
  const { res, request } = a;
  const stopReason = a.truncated ? "max_tokens" : "end_turn";
  const omitUsage = a.fault?.kind === "no_usage";
  if (!request.stream) {
    res.writeHead(200, { "content-type": "application/json", [ANTHROPIC_REQUEST_ID_HEADER]: a.id });
    res.end(
      JSON.stringify({
        id: `msg_${a.id}`,
        type: "message",
        role: "assistant",
        model: request.model,
        content: [{ type: "text", text: a.text }],
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
  res.write(event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }));
  res.write(event("ping", {}));
  const delta = (text: string) =>
    res.write(event("content_block_delta", { index: 0, delta: { type: "text_delta", text } }));
  if (!(await streamPieces(a, delta))) return;
  res.write(event("content_block_stop", { index: 0 }));
  res.write(
    event("message_delta", {
      delta: { stop_reason: stopReason, stop_sequence: null },
      ...(omitUsage ? {} : { usage: { output_tokens: a.completionTokens } }),
    }),
  );
  res.end(event("message_stop", {}));
}
