import { describe, expect, it } from "vitest";
import { conversationOf } from "./conversation.ts";

const e = (seq: number, kind: string, payload: Record<string, unknown>) => ({
  seq,
  ts: "",
  kind,
  stepId: "s",
  payload,
});

describe("conversationOf", () => {
  it("reads an agent's task, answers with their tool calls and figures, tool results and cached answers", () => {
    const turns = conversationOf([
      e(1, "step.started", { nodeId: "a" }),
      e(2, "llm.request", { iteration: 1, system: "Be brief", prompt: "Find it" }),
      e(3, "llm.response", {
        iteration: 1,
        text: "",
        toolCalls: [{ id: "c1", name: "http_fetch", args: { url: "u" } }],
        usage: { inputTokens: 10, cachedInputTokens: 2, cacheWriteTokens: 0, outputTokens: 5 },
        costCents: "0.01",
      }),
      e(4, "tool.response", {
        iteration: 1,
        tool: "http.fetch",
        toolCallId: "c1",
        output: { error: "down" },
        isError: true,
      }),
      e(5, "llm.request", { iteration: 2, prompt: "Find it" }),
      e(6, "cache.hit", { iteration: 2, answer: { text: "Done", toolCalls: [] } }),
    ]);
    expect(turns).toEqual([
      { role: "system", text: "Be brief" },
      { role: "user", text: "Find it" },
      {
        role: "assistant",
        iteration: 1,
        text: "",
        toolCalls: [{ id: "c1", name: "http_fetch", args: { url: "u" } }],
        tokens: 17,
        costCents: "0.01",
        cached: false,
      },
      { role: "tool", iteration: 1, name: "http.fetch", toolCallId: "c1", output: { error: "down" }, isError: true },
      { role: "assistant", iteration: 2, text: "Done", toolCalls: [], tokens: null, costCents: "0", cached: true },
    ]);
  });

  it("is empty for a step that is not an agent's", () => {
    expect(conversationOf([e(1, "llm.request", { prompt: "x" }), e(2, "llm.response", { text: "y" })])).toEqual([]);
  });
});
