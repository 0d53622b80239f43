/**
 * An agent against a second, independent OpenAI-compatible endpoint (not the simulator): a small
 * server written here the way vLLM streams tool calls, scripted for a two-iteration loop with two
 * parallel calls each, which checks the wire itself — the tools' JSON Schemas, each assistant turn's
 * `tool_calls`, and the `role: "tool"` results with their `tool_call_id`, in call order — and
 * answers with usage. Its model has no price: the step's cost is unknown, never 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAIProvider } from "../src/providers/openai.ts";
import { finishedRun, restClient } from "./helpers/rest.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

type Json = Record<string, unknown>;
let endpoint: Server;
let url = "";
const bodies: Json[] = [];
let stack: Stack;
const call = restClient(() => stack.url);

const SCRIPT: { calls: { id: string; args: Json }[] }[] = [
  {
    calls: [
      { id: "call_a1", args: { operation: "upper", value: "one" } },
      { id: "call_a2", args: { operation: "upper", value: "two" } },
    ],
  },
  {
    calls: [
      { id: "call_b1", args: { operation: "lower", value: "THREE" } },
      { id: "call_b2", args: { operation: "trim", value: " four " } },
    ],
  },
];

function sse(res: ServerResponse, chunks: Json[]) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const c of chunks)
    res.write(
      `data: ${JSON.stringify({ id: "cmpl-1", object: "chat.completion.chunk", model: "qwen-tools", ...c })}\n\n`,
    );
  res.end("data: [DONE]\n\n");
}

const choice = (delta: Json, finish: string | null = null) => ({
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usage = { choices: [], usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 } };

function toolCallChunks(round: number): Json[] {
  const calls = SCRIPT[round]?.calls ?? [];
  return calls.flatMap((c, index) => {
    const args = JSON.stringify(c.args);
    return [
      choice({
        tool_calls: [
          { index, id: c.id, type: "function", function: { name: "transform", arguments: args.slice(0, 5) } },
        ],
      }),
      choice({ tool_calls: [{ index, function: { arguments: args.slice(5) } }] }),
    ];
  });
}

function answer(res: ServerResponse, body: Json) {
  const toolTurns = ((body.messages as Json[]) ?? []).filter((m) => m.role === "tool").length;
  const round = toolTurns / 2;
  if (round < SCRIPT.length) {
    return sse(res, [
      choice({ role: "assistant", content: null }),
      ...toolCallChunks(round),
      choice({}, "tool_calls"),
      usage,
    ]);
  }
  sse(res, [
    choice({ role: "assistant", content: "" }),
    choice({ content: "final answer" }),
    choice({}, "stop"),
    usage,
  ]);
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  let text = "";
  for await (const chunk of req) text += chunk;
  if (req.url !== "/v1/chat/completions") return void res.writeHead(404).end();
  const body = JSON.parse(text) as Json;
  bodies.push(body);
  answer(res, body);
}

beforeAll(async () => {
  endpoint = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;
  stack = await startStack({
    providers: (sim) => [
      createOpenAIProvider({ name: "openai", apiKey: "sk-test", baseUrl: sim.openaiBaseUrl }),
      createOpenAIProvider({ name: "vllm", apiKey: "not-needed", baseUrl: url }),
    ],
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => endpoint.close(() => resolve()));
});

describe("an agent on an independent OpenAI-compatible endpoint", () => {
  it("runs two iterations of two parallel tool calls in that endpoint's wire format", async () => {
    const graph = {
      version: "1",
      entry: "agent",
      nodes: [
        {
          id: "agent",
          type: "agent",
          name: "Agent",
          config: {
            provider: "vllm",
            model: "qwen-tools",
            prompt: "Reshape the words",
            tools: [{ tool: "transform" }],
            fallbacks: [],
            cache: false,
          },
        },
      ],
      edges: [],
    };
    const wf = await call("POST", "/api/workflows", { name: "vllm agent", graph_json: graph });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, {});
    const run = await finishedRun(call, started.body.runId);
    expect(run.status, run.error_summary).toBe("succeeded");

    expect(bodies).toHaveLength(3);
    const first = bodies[0] as Json;
    expect(first.stream).toBe(true);
    expect((first.tools as Json[]).map((t) => [t.type, (t.function as Json).name])).toEqual([
      ["function", "transform"],
    ]);
    const parameters = (((first.tools as Json[])[0]?.function ?? {}) as Json).parameters as Json;
    expect(parameters).toMatchObject({ type: "object", required: ["operation"] });
    const last = (bodies[2]?.messages ?? []) as Json[];
    expect(last.map((m) => m.role)).toEqual(["user", "assistant", "tool", "tool", "assistant", "tool", "tool"]);
    expect(((last[1]?.tool_calls ?? []) as Json[]).map((c) => c.id)).toEqual(["call_a1", "call_a2"]);
    expect(last.filter((m) => m.role === "tool").map((m) => [m.tool_call_id, m.content])).toEqual([
      ["call_a1", "ONE"],
      ["call_a2", "TWO"],
      ["call_b1", "three"],
      ["call_b2", "four"],
    ]);
    const step = await stack.prisma.runStep.findFirstOrThrow({ where: { runId: run.id } });
    expect(step.output).toBe("final answer");
    expect([step.tokensInput, step.tokensOutput]).toEqual([150, 36]);
    expect(step.costCents).toBeNull();
    expect(run.cost_complete).toBe(false);
  });
});
