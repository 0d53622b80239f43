import * as semconv from "@opentelemetry/semantic-conventions/incubating";
import { describe, expect, it } from "vitest";
import { chatAttributes, runAttributes } from "./genai-attributes.ts";

const known = new Set<string>(Object.values(semconv).filter((v) => typeof v === "string") as string[]);

const usage = { inputTokens: 100, cachedInputTokens: 800, cacheWriteTokens: 50, outputTokens: 40, reasoningTokens: 0 };
const response = {
  provider: "anthropic",
  model: "claude-3-5-haiku-20241022",
  responseModel: "claude-3-5-haiku-20241022",
  requestId: "req_1",
  finishReason: "end_turn",
  usage,
  costCents: "0.0123",
  attempt: 1,
};

describe("GenAI attributes", () => {
  it("use only names the semantic conventions define (besides flowtrace.*)", () => {
    const names = [
      ...Object.keys(chatAttributes({ temperature: 0.2, maxTokens: 64 }, response, false, "api.anthropic.com")),
      ...Object.keys(chatAttributes(undefined, { ...response, kind: "server", status: 500 }, true, undefined)),
      ...Object.keys(
        runAttributes(
          "r",
          {
            workflowId: "w",
            workflowName: "n",
            workflowVersion: 1,
            startedAt: null,
            traceParent: null,
            traceState: null,
          },
          { status: "failed", totalCostCents: "1" },
        ),
      ),
    ];
    const unknown = [...new Set(names)].filter((n) => !n.startsWith("flowtrace.") && !known.has(n));
    expect(unknown).toEqual([]);
    expect(known.has("invoke_workflow") || known.has("gen_ai.workflow.name")).toBe(true);
  });

  it("normalise usage: input tokens include cache reads and writes (Anthropic reports them apart)", () => {
    expect(chatAttributes(undefined, response, false, undefined)).toMatchObject({
      "gen_ai.usage.input_tokens": 950,
      "gen_ai.usage.cache_read.input_tokens": 800,
      "gen_ai.usage.cache_creation.input_tokens": 50,
      "gen_ai.usage.output_tokens": 40,
      "flowtrace.cost.usd": 0.000123,
    });
  });
});
