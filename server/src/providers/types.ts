/** The provider interface the engine calls; implemented on the official SDKs. */
import type { Usage } from "../domain/pricing/pricing.ts";

/** A tool call the model asked for: the vendor's id (echoed with the result), the tool's name, its arguments. */
export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** Set when the model's arguments were not a JSON object (the raw text it sent). */
  badArgs?: string;
}

/**
 * One turn of a conversation after the system prompt, vendor-neutral: each provider converts it to
 * its wire format (OpenAI `tool_calls` / `role: "tool"`; Anthropic `tool_use` / `tool_result`).
 */
export type ChatMessage =
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; name: string; content: string; isError?: boolean };

/** A tool the model may call: its exposed name, description and JSON Schema of its arguments. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** What the model may do with its tools. */
export interface ToolUse {
  tools: ToolDefinition[];
  choice: "auto" | "required" | "none";
  parallel: boolean;
}

/** An answer constrained to a JSON Schema (OpenAI `response_format`; Anthropic a forced tool). */
export interface ResponseFormat {
  name: string;
  schema: Record<string, unknown>;
}

export interface LlmRequest {
  model: string;
  system?: string;
  /** The user's message; ignored when `messages` is given. */
  prompt: string;
  /** The whole conversation after the system prompt (an agent's loop); default: one user message, `prompt`. */
  messages?: ChatMessage[];
  toolUse?: ToolUse;
  responseFormat?: ResponseFormat;
  temperature?: number;
  maxTokens: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with each piece of streamed text as it arrives. */
  onDelta?: (text: string) => void;
  /** Extra request headers (e.g. an idempotency key; never secrets). */
  headers?: Record<string, string>;
  /** Demo only: a fault the built-in simulator injects (node.config.fault); other providers never see it. */
  fault?: string;
}

/** Header carrying a node's demo fault to the simulator, e.g. `status=500;count=2` (sent to it only). */
export const FAULT_HEADER = "x-flowtrace-sim-fault";

/** The request headers of a call: its own, plus the demo fault when the provider is the simulator. */
export function requestHeaders(req: LlmRequest, simulated: boolean): Record<string, string> | undefined {
  if (!(simulated && req.fault)) return req.headers;
  return { ...req.headers, [FAULT_HEADER]: req.fault };
}

/** Everything a request sends as prompt text (for counting tokens when the provider reports none). */
export function promptText(req: LlmRequest): string {
  if (!req.messages) return req.prompt;
  const parts = req.messages.map((m) =>
    m.role === "assistant" ? m.content + (m.toolCalls ?? []).map((c) => JSON.stringify(c.args)).join("") : m.content,
  );
  const tools = req.toolUse?.tools.map((t) => JSON.stringify(t)) ?? [];
  return [...parts, ...tools].join("\n");
}

/** Where a call's token counts come from: the provider's report, or FlowTrace's tokenizer when it sent none. */
export type UsageSource = "provider" | "estimated";

export interface LlmResult {
  text: string;
  /** The tools the model asked to call, in its order (empty when it answered). */
  toolCalls: ToolCall[];
  usage: Usage;
  usageSource: UsageSource;
  /** Why the usage is estimated (set when `usageSource` is "estimated"). */
  usageNote?: string;
  /** Exactly as the provider reported it, for the trace. */
  rawUsage: unknown;
  requestId: string | null;
  finishReason: string | null;
  /** The model the provider says answered. */
  model: string;
}

export interface LlmProvider {
  /** openai, anthropic, or the configured name of an OpenAI-compatible endpoint. */
  readonly name: string;
  readonly api: "openai" | "anthropic";
  /** True when calls go to FlowTrace's built-in simulator. */
  readonly simulated: boolean;
  /** Set when the provider cannot be called, saying why (e.g. "not configured: set ANTHROPIC_API_KEY"). */
  readonly unavailable?: string;
  complete(request: LlmRequest): Promise<LlmResult>;
}
