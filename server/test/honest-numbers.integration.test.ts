/**
 * Honest numbers against any provider, over real HTTP (REST and GraphQL), the real SDKs and the
 * simulator: usage a server did not report is estimated and marked, a run with an unpriced step
 * says its total is a lower bound, a failed chain names the primary's own error first, and a
 * parallel run never pays more than its cost budget.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Cents } from "../src/domain/pricing/money.ts";
import { EMPTY_USAGE, PriceMap } from "../src/domain/pricing/pricing.ts";
import { createOpenAIProvider } from "../src/providers/openai.ts";
import { unconfiguredProvider } from "../src/providers/registry.ts";
import { REASONING_TOKENS } from "../src/providers/simulator/simulator.ts";
import { type Stack, startStack } from "./helpers/stack.ts";
import { chainOf, llmNode } from "./helpers/workflows.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    // Only OpenAI configured (on the simulator), Anthropic without a key, and a named
    // OpenAI-compatible server whose models have no price.
    providers: (sim) => [
      createOpenAIProvider({ name: "openai", apiKey: "sk-test-honest-numbers", baseUrl: sim.openaiBaseUrl }),
      unconfiguredProvider("anthropic", "anthropic", "ANTHROPIC_API_KEY"),
      createOpenAIProvider({ name: "local", apiKey: "not-needed", baseUrl: sim.openaiBaseUrl }),
    ],
  });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sim.setFaults([]);
  stack.sim.resetCalls();
});

const prices = PriceMap.defaults();
// biome-ignore lint/suspicious/noExplicitAny: payloads are read as the REST trace returns them
type TraceRow = { kind: string; step_id: string; payload: Record<string, any> };
let counter = 0;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

/** An LLM node with its own system prompt (so tests never share cache entries) and no cache. */
const llm = (id: string, provider: string, model: string, extra: Record<string, unknown> = {}) =>
  llmNode(id, { provider, model, system: `honest ${id} ${++counter}`, cache: false, ...extra });

/** Create the workflow, run it through REST, wait for the end; the run (with steps) and its trace. */
async function runFlow(doc: Record<string, unknown>) {
  const wf = await call("POST", "/api/workflows", { name: `honest ${counter}`, graph_json: doc });
  expect(wf.status).toBe(201);
  const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, { input_vars: { topic: "honest costs" } });
  expect(started.status).toBe(202);
  const runId = started.body.runId as string;
  for (;;) {
    const r = await call("GET", `/api/runs/${runId}`);
    if (["succeeded", "failed", "canceled"].includes(r.body.status)) {
      const trace = await call("GET", `/api/runs/${runId}/trace`);
      return { run: r.body, events: trace.body.events as TraceRow[] };
    }
    await new Promise((res) => setTimeout(res, 25));
  }
}

async function graphql(query: string, variables: Record<string, unknown>) {
  const res = await call("POST", "/graphql", { query, variables });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

const chain = chainOf;

describe("honest numbers", () => {
  it("estimates, prices and marks the usage of a server that reports none", async () => {
    stack.sim.setFaults([{ model: "gpt-4.1-nano", kind: "no_usage", count: Number.POSITIVE_INFINITY }]);
    const { run, events } = await runFlow(
      chain([llm("silent", "openai", "gpt-4.1-nano"), llm("reported", "openai", "gpt-4o-mini")]),
    );
    expect(run.status).toBe("succeeded");
    const silent = run.steps.find((s: { node_id: string }) => s.node_id === "silent");
    const reported = run.steps.find((s: { node_id: string }) => s.node_id === "reported");
    expect(silent.usage_source).toBe("estimated");
    expect(reported.usage_source).toBe("provider");

    // The estimate counts the prompt as sent and the text as received with the same tokenizer the
    // simulator bills with, so here it equals what the server would have reported.
    const simCall = stack.sim.calls.find((c) => c.model === "gpt-4.1-nano");
    expect(silent.tokens_input).toBe(simCall?.promptTokens);
    expect(silent.tokens_output).toBe(simCall?.completionTokens);
    expect(silent.tokens_input).toBeGreaterThan(0);
    const expected = prices.cost("openai", "gpt-4.1-nano", {
      ...EMPTY_USAGE,
      inputTokens: silent.tokens_input,
      outputTokens: silent.tokens_output,
    });
    expect(silent.cost_cents).toBe(expected?.toString());
    expect(Cents.parse(silent.cost_cents).compare(Cents.ZERO)).toBe(1);

    const warning = events.find(
      (e) =>
        e.kind === "log" &&
        e.step_id === silent.id &&
        e.payload.level === "warn" &&
        /estimated/.test(e.payload.message),
    );
    expect(warning?.payload.message).toMatch(/openai\/gpt-4\.1-nano: the provider reported no usage/);
    const response = events.find((e) => e.kind === "llm.response" && e.step_id === silent.id);
    expect(response?.payload.usageSource).toBe("estimated");
    const finished = events.find((e) => e.kind === "step.finished" && e.step_id === silent.id);
    expect(finished?.payload.usageSource).toBe("estimated");

    const data = await graphql("query($id: ID!) { run(id: $id) { steps { nodeId usageSource tokensInput } } }", {
      id: run.id,
    });
    expect(data.run.steps).toEqual(
      expect.arrayContaining([
        { nodeId: "silent", usageSource: "estimated", tokensInput: silent.tokens_input },
        { nodeId: "reported", usageSource: "provider", tokensInput: reported.tokens_input },
      ]),
    );
  });

  it("says a run's total is incomplete when a step has no price", async () => {
    const { run, events } = await runFlow(
      chain([llm("priced", "openai", "gpt-4o-mini"), llm("selfhosted", "local", "llama3-8b")]),
    );
    expect(run.status).toBe("succeeded");
    const priced = run.steps.find((s: { node_id: string }) => s.node_id === "priced");
    const unpriced = run.steps.find((s: { node_id: string }) => s.node_id === "selfhosted");
    expect(unpriced.cost_cents).toBeNull();
    expect(run.cost_complete).toBe(false);
    expect(run.unpriced_steps).toBe(1);
    expect(run.total_cost_cents).toBe(priced.cost_cents);

    const finished = events.at(-1);
    expect(finished?.kind).toBe("run.finished");
    expect(finished?.payload).toMatchObject({ costComplete: false, unpricedSteps: 1 });

    const data = await graphql("query($id: ID!) { run(id: $id) { costComplete unpricedSteps totalCostCents } }", {
      id: run.id,
    });
    expect(data.run).toEqual({ costComplete: false, unpricedSteps: 1, totalCostCents: priced.cost_cents });
    const list = await call("GET", `/api/runs/${run.id}`);
    expect(list.body).toMatchObject({ cost_complete: false, unpriced_steps: 1 });

    const complete = await runFlow(chain([llm("only", "openai", "gpt-4o-mini")]));
    expect(complete.run).toMatchObject({ cost_complete: true, unpriced_steps: 0 });
    // The unconfigured default fallback is only mentioned when the chain reaches it.
    expect(complete.events.filter((e) => e.kind === "log" && /skipped/.test(e.payload.message))).toEqual([]);
  });

  it("names the primary's own failure first and skips an unconfigured fallback", async () => {
    stack.sim.setFaults([{ provider: "openai", kind: "status", status: 500, count: Number.POSITIVE_INFINITY }]);
    const { run, events } = await runFlow(chain([llm("summarize", "openai", "gpt-4o-mini")]));
    expect(run.status).toBe("failed");
    const expected =
      'openai/gpt-4o-mini: 500 Internal Server Error "Simulated failure (500)" after 3 attempts; fallback anthropic/claude-3-5-haiku-20241022 skipped: not configured: set ANTHROPIC_API_KEY';
    expect(run.error_summary).toBe(expected);
    expect(run.steps[0].error).toBe(expected);
    const skip = events.find((e) => e.kind === "log" && /skipped/.test(e.payload.message));
    expect(skip?.payload).toEqual({
      level: "warn",
      message: "fallback anthropic/claude-3-5-haiku-20241022 skipped: not configured: set ANTHROPIC_API_KEY",
    });
    // Not counted as a failure: no fallback event, no attempt at Anthropic.
    expect(events.filter((e) => e.kind === "fallback")).toHaveLength(0);
    expect(events.filter((e) => e.kind === "retry").map((e) => e.payload.provider)).toEqual([
      "openai",
      "openai",
      "openai",
    ]);
    expect(stack.sim.calls.filter((c) => c.provider === "anthropic")).toHaveLength(0);
  });

  it("classifies an error sent inside an HTTP 200 stream by its type", async () => {
    stack.sim.setFaults([
      { provider: "openai", kind: "stream_error", errorType: "rate_limit_error", count: Number.POSITIVE_INFINITY },
    ]);
    const { run, events } = await runFlow(chain([llm("summarize", "openai", "gpt-4o-mini", { fallbacks: [] })]));
    expect(run.status).toBe("failed");
    const retries = events.filter((e) => e.kind === "retry");
    expect(retries.map((e) => [e.payload.kind, e.payload.willRetry])).toEqual([
      ["rate_limited", true],
      ["rate_limited", true],
      ["rate_limited", false],
    ]);
    expect(run.error_summary).toBe(
      'openai/gpt-4o-mini: in-stream rate_limit_error "Rate limit reached for requests (simulated, sent inside the stream)" after 3 attempts',
    );
  });

  it("sends max_completion_tokens to reasoning models and records their reasoning tokens", async () => {
    const { run } = await runFlow(chain([llm("think", "openai", "o4-mini", { maxTokens: 400 })]));
    expect(run.status).toBe("succeeded");
    expect(run.steps[0]).toMatchObject({ tokens_reasoning: REASONING_TOKENS, usage_source: "provider" });
    expect(run.steps[0].tokens_output).toBeGreaterThan(REASONING_TOKENS);
  });

  it("never lets parallel steps jointly pay more than maxCostCents", async () => {
    const fan = ["b", "c", "d", "e"].map((id) => llm(id, "openai", "gpt-4o-mini", { maxTokens: 200 }));
    // Each call's worst case fits the budget alone, but four calls in flight do not; what four
    // really cost together (≈ 4 × 0.004 cents) is more than the budget.
    const budget = "0.013";
    const doc = {
      version: "1",
      entry: "a",
      parallel: true,
      limits: { maxCostCents: Number(budget) },
      nodes: [
        {
          id: "a",
          type: "tool",
          name: "a",
          config: { tool: "transform", args: { operation: "trim", value: "{{input.topic}}" } },
        },
        ...fan,
      ],
      edges: fan.map((n) => ({ from: "a", to: n.id })),
    };
    const { run } = await runFlow(doc);
    expect(run.status).toBe("failed");
    expect(run.error_summary).toMatch(
      /^limit\.cost: limits\.maxCostCents 0\.013 cents: [\d.]+ spent and [\d.]+ reserved by calls in flight; the next call may cost up to [\d.]+$/,
    );
    // What the provider billed: every call it completed, at the list price.
    const paid = Cents.sum(
      stack.sim.calls
        .filter((c) => c.completed)
        .map(
          (c) =>
            prices.cost("openai", c.model, {
              ...EMPTY_USAGE,
              inputTokens: c.promptTokens,
              outputTokens: c.completionTokens,
            }) ?? Cents.ZERO,
        ),
    );
    expect(stack.sim.calls.filter((c) => c.completed).length).toBeGreaterThan(0);
    expect(paid.compare(Cents.parse(budget))).toBeLessThanOrEqual(0);
    expect(Cents.parse(run.total_cost_cents).compare(Cents.parse(budget))).toBeLessThanOrEqual(0);
  });
});
