/** The vendor-neutral conversation, tools and answer format in OpenAI Chat Completions' wire format. */
import type OpenAI from "openai";
import { argumentsText, strictCompatible } from "./tool-calls.ts";
import type { ChatMessage, LlmRequest } from "./types.ts";

type Message = OpenAI.ChatCompletionMessageParam;

function openAITurn(m: ChatMessage): Message {
  if (m.role === "user") return { role: "user", content: m.content };
  if (m.role === "tool") return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
  const calls = m.toolCalls ?? [];
  return {
    role: "assistant",
    content: m.content === "" && calls.length > 0 ? null : m.content,
    ...(calls.length
      ? {
          tool_calls: calls.map((c) => ({
            id: c.id,
            type: "function" as const,
            function: { name: c.name, arguments: argumentsText(c) },
          })),
        }
      : {}),
  };
}

export function openAIMessages(req: LlmRequest): Message[] {
  const turns: ChatMessage[] = req.messages ?? [{ role: "user", content: req.prompt }];
  return [...(req.system ? [{ role: "system" as const, content: req.system }] : []), ...turns.map(openAITurn)];
}

/** `tools`, `tool_choice`, `parallel_tool_calls` and `response_format`, when the request has them. */
export function openAIToolParams(req: LlmRequest) {
  const use = req.toolUse;
  const format = req.responseFormat;
  return {
    ...(use && use.tools.length > 0
      ? {
          tools: use.tools.map((t) => ({
            type: "function" as const,
            function: { name: t.name, description: t.description, parameters: t.parameters },
          })),
          tool_choice: use.choice,
          parallel_tool_calls: use.parallel,
        }
      : {}),
    ...(format
      ? {
          response_format: {
            type: "json_schema" as const,
            json_schema: { name: format.name, schema: format.schema, strict: strictCompatible(format.schema) },
          },
        }
      : {}),
  };
}
