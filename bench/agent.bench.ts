/**
 * The agent loop's overhead per iteration: an agent step with `rounds` tool-calling iterations
 * (then its answer) through the executor — trace, journal flushes, reservations, chain, tools —
 * against the same model calls and the same tool runs made by hand in a bare SDK loop, with the
 * same growing conversation. Interleaved samples, in the same run, as ratios.
 */

import { exposeTools } from "../server/src/domain/workflow/agent-tools.ts";
import { executeRun } from "../server/src/engine/executor.ts";
import type { ChatMessage, ToolCall, ToolDefinition } from "../server/src/providers/types.ts";
import { findTool, toolCatalog } from "../server/src/tools/registry.ts";
import { type Env, setup } from "./engine.bench.ts";

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

export interface AgentBench {
  rounds: number;
  samples: number;
  engineMsMedian: number;
  bareMsMedian: number;
  addedMsPerIteration: number;
  ratio: number;
}

const task = (rounds: number, tag: string) =>
  Array.from({ length: rounds }, (_, i) => `use transform upper "${tag} ${i}"`).join(", then ");

function agentGraph(rounds: number, tag: string) {
  return {
    version: "1",
    entry: "agent",
    nodes: [
      {
        id: "agent",
        type: "agent",
        name: "agent",
        config: {
          provider: "openai",
          model: "gpt-4o-mini",
          system: `agent ${tag}`,
          prompt: task(rounds, tag),
          tools: [{ tool: "transform" }],
          maxIterations: rounds + 2,
          maxTokens: 64,
          fallbacks: [],
          cache: false,
        },
      },
    ],
    edges: [],
    limits: { maxNodes: 2, maxTokens: 5_000_000, timeoutSeconds: 600 },
  };
}

/** The same conversation by hand: call, run the asked tools, send the results back, until the answer. */
async function bareLoop(env: Env, rounds: number, tag: string): Promise<number> {
  const provider = env.deps.providers.get("openai");
  const exposed = exposeTools([{ tool: "transform" }], toolCatalog);
  if (!provider || !Array.isArray(exposed)) throw new Error("no provider or tool");
  const tools: ToolDefinition[] = exposed.map((t) => ({
    name: t.name,
    description: t.description,
    parameters: t.parameters,
  }));
  const messages: ChatMessage[] = [{ role: "user", content: task(rounds, tag) }];
  const transform = findTool("transform");
  const t = performance.now();
  for (let i = 0; i < rounds + 2; i++) {
    const r = await provider.complete({
      model: "gpt-4o-mini",
      system: `agent ${tag}`,
      prompt: "",
      messages,
      toolUse: { tools, choice: "auto", parallel: true },
      maxTokens: 64,
      timeoutMs: 10_000,
    });
    messages.push({ role: "assistant", content: r.text, toolCalls: r.toolCalls });
    if (r.toolCalls.length === 0) break;
    for (const c of r.toolCalls as ToolCall[]) {
      const out = await transform?.run(c.args as never, { signal: new AbortController().signal, fetchAllow: [] });
      messages.push({ role: "tool", toolCallId: c.id, name: c.name, content: JSON.stringify(out) });
    }
  }
  return performance.now() - t;
}

async function engineLoop(env: Env, rounds: number, tag: string): Promise<number> {
  const graph = agentGraph(rounds, tag);
  const wf = await env.prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: "agent bench", graphJson: graph },
  });
  const run = await env.prisma.workflowRun.create({ data: { workflowId: wf.id, graphSnapshot: graph } });
  const t = performance.now();
  const status = await executeRun(run.id, env.deps);
  if (status !== "succeeded") throw new Error(`agent benchmark run ${status}`);
  return performance.now() - t;
}

export async function benchAgent(rounds: number, samples: number): Promise<AgentBench> {
  const env = await setup();
  try {
    await engineLoop(env, 1, "warmup");
    const engine: number[] = [];
    const bare: number[] = [];
    for (let s = 0; s < samples; s++) {
      bare.push(await bareLoop(env, rounds, `bare ${s}`));
      engine.push(await engineLoop(env, rounds, `engine ${s}`));
    }
    const iterations = rounds + 1;
    const perIteration = engine.map((e, i) => (e - (bare[i] ?? 0)) / iterations);
    return {
      rounds,
      samples,
      engineMsMedian: round(quantile(engine, 0.5), 1),
      bareMsMedian: round(quantile(bare, 0.5), 1),
      addedMsPerIteration: round(quantile(perIteration, 0.5)),
      ratio: round(quantile(engine, 0.5) / quantile(bare, 0.5)),
    };
  } finally {
    await env.close();
  }
}
