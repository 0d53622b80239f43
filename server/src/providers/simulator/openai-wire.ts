/** The simulator's OpenAI Chat Completions wire format: request parsing, error bodies, answers. */
import { streamErrorMessage } from "./faults.ts";
import { type Answer, type ParsedRequest, streamPieces, textOf } from "./wire.ts";
import { openAIConversation } from "./wire-conversations.ts";

export const OPENAI_REQUEST_ID_HEADER = "x-request-id";

export function parseOpenAI(body: Record<string, unknown>): ParsedRequest | string {
  if (typeof body.model !== "string") return "model is required";
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "messages must be a non-empty array";
  const messages = body.messages as { role?: string; content?: unknown }[];
  const isSystem = (m: { role?: string }) => m.role === "system" || m.role === "developer";
  const opts = body.stream_options as { include_usage?: boolean } | undefined;
  return {
    provider: "openai",
    model: body.model,
    system: messages
      .filter(isSystem)
      .map((m) => textOf(m.content))
      .join("\n"),
    prompt: messages
      .filter((m) => !isSystem(m))
      .map((m) => textOf(m.content))
      .join("\n"),
    maxTokens: Number(body.max_completion_tokens ?? body.max_tokens ?? 4096),
    stream: body.stream === true,
    includeUsage: opts?.include_usage === true,
    conversation: openAIConversation(body),
    body,
  };
}

export function openaiErrorBody(status: number, message: string) {
  const type = status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
  return { error: { message, type, param: null, code: status === 401 ? "invalid_api_key" : type } };
}

function usageOf(a: Answer) {
  return {
    prompt_tokens: a.promptTokens,
    completion_tokens: a.completionTokens,
    total_tokens: a.promptTokens + a.completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: a.reasoningTokens },
  };
}

const wireCalls = (a: Answer) =>
  a.toolCalls.map((c) => ({
    id: c.id,
    type: "function",
    function: { name: c.name, arguments: JSON.stringify(c.args) },
  }));

/** Each call's opening chunk (id, name), then its arguments in two pieces, as OpenAI streams them. */
function toolCallDeltas(a: Answer): Record<string, unknown>[] {
  return wireCalls(a).flatMap((c, index) => {
    const args = c.function.arguments;
    const half = Math.ceil(args.length / 2);
    return [
      { tool_calls: [{ index, id: c.id, type: "function", function: { name: c.function.name, arguments: "" } }] },
      { tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] },
      { tool_calls: [{ index, function: { arguments: args.slice(half) } }] },
    ];
  });
}

export async function writeOpenAIAnswer(a: Answer): Promise<void> {
  const { res, request } = a;
  const created = Math.floor(Date.now() / 1000);
  const finish = a.toolCalls.length ? "tool_calls" : a.truncated ? "length" : "stop";
  const omitUsage = a.fault?.kind === "no_usage";
  if (!request.stream) {
    res.writeHead(200, { "content-type": "application/json", [OPENAI_REQUEST_ID_HEADER]: a.id });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${a.id}`,
        object: "chat.completion",
        created,
        model: request.model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: a.toolCalls.length && !a.text ? null : a.text,
              ...(a.toolCalls.length ? { tool_calls: wireCalls(a) } : {}),
            },
            finish_reason: finish,
            logprobs: null,
          },
        ],
        ...(omitUsage ? {} : { usage: usageOf(a) }),
      }),
    );
    return;
  }
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    [OPENAI_REQUEST_ID_HEADER]: a.id,
  });
  const chunk = (delta: Record<string, unknown>, finishReason: string | null, usage?: unknown) =>
    `data: ${JSON.stringify({
      id: `chatcmpl-${a.id}`,
      object: "chat.completion.chunk",
      created,
      model: request.model,
      choices: usage ? [] : [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...(usage ? { usage } : {}),
    })}\n\n`;
  res.write(chunk({ role: "assistant", content: "" }, null));
  if (a.fault?.kind === "stream_error") {
    const type = a.fault.errorType;
    res.end(`data: ${JSON.stringify({ error: { message: streamErrorMessage(type), type, code: type } })}\n\n`);
    return;
  }
  if (a.text && !(await streamPieces(a, (piece) => res.write(chunk({ content: piece }, null))))) return;
  for (const delta of toolCallDeltas(a)) res.write(chunk(delta, null));
  res.write(chunk({}, finish));
  if (request.includeUsage && !omitUsage) res.write(chunk({}, null, usageOf(a)));
  res.end("data: [DONE]\n\n");
}
