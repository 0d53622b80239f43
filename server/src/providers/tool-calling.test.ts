/**
 * Native tool calling and structured answers through the official SDKs, streamed, against the
 * simulator over real HTTP, with each vendor's wire format asserted where it arrives: OpenAI
 * `tools` / `tool_calls` / `role: "tool"` with `tool_call_id`; Anthropic `tools` with
 * `input_schema`, `tool_use` blocks, `tool_result` blocks with `tool_use_id`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnthropicProvider } from "./anthropic.ts";
import { createOpenAIProvider } from "./openai.ts";
import { type Simulator, startSimulator } from "./simulator/simulator.ts";
import type { ChatMessage, LlmProvider, LlmRequest, ToolDefinition } from "./types.ts";

const KEY = "sk-test-secret-key-never-logged-12345";
let sim: Simulator;
let openai: LlmProvider;
let anthropic: LlmProvider;

const tools: ToolDefinition[] = [
  {
    name: "http_fetch",
    description: "GET a URL",
    parameters: { type: "object", properties: { url: { type: "string" } }, required: ["url"] },
  },
  {
    name: "lookup",
    description: "Look a word up",
    parameters: { type: "object", properties: { word: { type: "string" } }, required: ["word"] },
  },
];
const task = 'Use http_fetch on https://example.com/a and lookup "flow"';

beforeAll(async () => {
  sim = await startSimulator();
  openai = createOpenAIProvider({ name: "openai", apiKey: KEY, baseUrl: sim.openaiBaseUrl, simulated: true });
  anthropic = createAnthropicProvider({
    name: "anthropic",
    apiKey: KEY,
    baseUrl: sim.anthropicBaseUrl,
    simulated: true,
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.resetCalls());

const base = (model: string): LlmRequest => ({
  model,
  system: "You use tools.",
  prompt: task,
  maxTokens: 400,
  timeoutMs: 10_000,
  toolUse: { tools, choice: "auto", parallel: true },
});

describe.each([
  ["openai", () => openai, "gpt-4o-mini"],
  ["anthropic", () => anthropic, "claude-3-5-haiku-20241022"],
] as const)("%s tool calling", (vendor, provider, model) => {
  it("asks for two tools in parallel, then answers from their results sent back in call order", async () => {
    const first = await provider().complete(base(model));
    expect(first.toolCalls.map((c) => [c.name, c.args])).toEqual([
      ["http_fetch", { url: "https://example.com/a" }],
      ["lookup", { word: "flow" }],
    ]);
    expect(first.finishReason).toBe(vendor === "openai" ? "tool_calls" : "tool_use");
    expect(first.usage.outputTokens).toBeGreaterThan(0);
    const messages: ChatMessage[] = [
      { role: "user", content: task },
      { role: "assistant", content: first.text, toolCalls: first.toolCalls },
      ...first.toolCalls.map((c, i) => ({
        role: "tool" as const,
        toolCallId: c.id,
        name: c.name,
        content: i === 0 ? "page body" : "flow: a state of focus",
        ...(i === 1 ? { isError: false } : {}),
      })),
    ];
    const second = await provider().complete({ ...base(model), messages });
    expect(second.toolCalls).toEqual([]);
    expect(second.text).toContain("from 2 tool results: page body | flow: a state of focus");
    const body = sim.calls[1]?.body as Record<string, unknown>;
    const ids = first.toolCalls.map((c) => c.id);
    if (vendor === "openai") {
      expect((body.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual([
        "http_fetch",
        "lookup",
      ]);
      const wire = body.messages as { role: string; tool_call_id?: string; tool_calls?: { id: string }[] }[];
      expect(wire.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "tool"]);
      expect(wire[2]?.tool_calls?.map((c) => c.id)).toEqual(ids);
      expect(wire.slice(3).map((m) => m.tool_call_id)).toEqual(ids);
      expect(body.parallel_tool_calls).toBe(true);
    } else {
      expect((body.tools as { name: string; input_schema: unknown }[]).map((t) => t.name)).toEqual([
        "http_fetch",
        "lookup",
      ]);
      expect((body.tools as { input_schema: unknown }[])[0]?.input_schema).toEqual(tools[0]?.parameters);
      const wire = body.messages as { role: string; content: { type: string; id?: string; tool_use_id?: string }[] }[];
      expect(wire.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
      expect(wire[1]?.content.filter((b) => b.type === "tool_use").map((b) => b.id)).toEqual(ids);
      expect(wire[2]?.content.map((b) => b.tool_use_id)).toEqual(ids);
      expect(body.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: false });
    }
  });

  it("calls one tool at a time when parallel calls are off", async () => {
    const r = await provider().complete({ ...base(model), toolUse: { tools, choice: "auto", parallel: false } });
    expect(r.toolCalls.map((c) => c.name)).toEqual(["http_fetch"]);
  });

  it("answers with JSON following a schema (OpenAI response_format, Anthropic a forced tool)", async () => {
    const schema = {
      type: "object",
      properties: { answer: { type: "string" }, score: { type: "number" } },
      required: ["answer", "score"],
      additionalProperties: false,
    };
    const r = await provider().complete({
      model,
      prompt: "Rate 7 things",
      maxTokens: 300,
      timeoutMs: 10_000,
      responseFormat: { name: "answer", schema },
    });
    expect(JSON.parse(r.text)).toEqual({ answer: expect.any(String), score: expect.any(Number) });
    expect(r.toolCalls).toEqual([]);
    const body = sim.calls[0]?.body as Record<string, unknown>;
    if (vendor === "openai") {
      expect(body.response_format).toEqual({
        type: "json_schema",
        json_schema: { name: "answer", schema, strict: true },
      });
    } else {
      expect(body.tool_choice).toEqual({ type: "tool", name: "answer" });
    }
  });
});
