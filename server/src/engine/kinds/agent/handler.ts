/**
 * The `agent` node kind's handler: a model that calls tools in a loop. Each iteration is one model
 * call (turns.ts: journal, replay or the LLM wing's chain) and the tool calls it asks for
 * (tool-calls.ts); the loop ends when the model answers without calling tools — checked against
 * the node's answer schema when it has one (answer.ts, one repair) — or fails at maxIterations.
 */

import { isMcpEntry, isWorkflowEntry } from "@flowtrace/contract/workflow";
import { Cents } from "../../../domain/pricing/money.ts";
import { toStorable } from "../../../domain/storable-json.ts";
import { type AnnouncedTool, type CallableWorkflow, exposeTools } from "../../../domain/workflow/agent-tools.ts";
import type { AgentNode } from "../../../domain/workflow/schema.ts";
import type { ToolCall } from "../../../providers/types.ts";
import { toolCatalog } from "../../../tools/registry.ts";
import { ToolError } from "../../../tools/types.ts";
import { LimitExceededError } from "../../budget.ts";
import { announcedTools } from "../../mcp-calls.ts";
import type { StepContext, StepResult } from "../../step-context.ts";
import { checkAnswer, repairRequest } from "../llm/answer-check.ts";
import { chainTargets, planCalls } from "../llm/plan.ts";
import type { NodeHandler, StepInput } from "../types.ts";
import { callableWorkflow, childTotals } from "../workflow/child.ts";
import { pauseForBudget } from "./approvals.ts";
import { AgentError } from "./errors.ts";
import { readJournal } from "./journal.ts";
import type { Loop } from "./loop.ts";
import { runToolCalls } from "./tool-calls.ts";
import { modelTurn } from "./turns.ts";

/** The tools each MCP server the node names announces (asked once per connection). */
async function announced(node: AgentNode, ctx: StepContext): Promise<Map<string, AnnouncedTool[]>> {
  const servers = new Set(node.config.tools.filter(isMcpEntry).map((e) => e.mcp));
  const out = new Map<string, AnnouncedTool[]>();
  for (const server of servers) out.set(server, await announcedTools(ctx, server));
  return out;
}

/** The workflows the node calls as tools, as tools. */
async function callables(node: AgentNode, ctx: StepContext): Promise<Map<string, CallableWorkflow>> {
  const out = new Map<string, CallableWorkflow>();
  for (const entry of node.config.tools.filter(isWorkflowEntry)) {
    const found = await callableWorkflow(ctx, entry.workflow);
    if (found) out.set(entry.workflow, found);
  }
  return out;
}

async function startLoop(node: AgentNode, input: Omit<StepInput, "scope">, ctx: StepContext): Promise<Loop> {
  const exposed = exposeTools(node.config.tools, toolCatalog, await announced(node, ctx), await callables(node, ctx));
  if (!Array.isArray(exposed)) throw new ToolError(`config.tools[${exposed.index}]: ${exposed.problem}`);
  const base = planCalls(node, input.inputs, input.tctx);
  const { tools, toolChoice, parallelToolCalls, output } = node.config;
  return {
    node,
    ctx,
    base,
    targets: chainTargets(base, node.config.temperature, ctx),
    tools: exposed,
    toolUse: tools.length
      ? {
          tools: exposed.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
          choice: toolChoice,
          parallel: parallelToolCalls,
        }
      : undefined,
    responseFormat: output ? { name: output.name ?? "answer", schema: output.schema } : undefined,
    messages: [{ role: "user", content: base.prompt }],
    // Read whenever the step runs: after a crash, and after the run waited for one of its approvals
    // (the step starts over then, and must not pay again for what it already did).
    journal: await readJournal(ctx),
    totals: {
      tokensInput: 0,
      tokensOutput: 0,
      tokensReasoning: 0,
      cost: Cents.ZERO,
      usageSource: "provider",
      model: undefined,
      modelCalls: 0,
      toolCalls: 0,
    },
  };
}

/**
 * The step's own budget (`budget.maxCostCents` / `maxTokens`), checked before each model call: used
 * up, the step fails — or, with `onExceeded: "pause"`, a person is asked to extend the cost budget.
 */
async function checkStepBudget(loop: Loop) {
  const budget = loop.node.config.budget;
  const { totals } = loop;
  if (budget?.maxCostCents !== undefined && totals.cost) {
    if (budget.onExceeded === "pause") await pauseForBudget(loop, totals.cost, budget.maxCostCents);
    else if (totals.cost.compare(Cents.parse(String(budget.maxCostCents))) >= 0) {
      const limit = Cents.parse(String(budget.maxCostCents));
      throw new LimitExceededError(
        "cost",
        `the agent's budget of ${limit} cents is used up (${totals.cost} cents spent)`,
      );
    }
  }
  const tokens = totals.tokensInput + totals.tokensOutput;
  if (budget?.maxTokens !== undefined && tokens >= budget.maxTokens) {
    throw new LimitExceededError(
      "tokens",
      `the agent's budget of ${budget.maxTokens} tokens is used up (${tokens} used)`,
    );
  }
}

function finish(loop: Loop, stopReason: "answer" | "max_iterations" | "output_invalid") {
  const { totals, ctx } = loop;
  ctx.recorder.emit("agent.finished", ctx.stepId, {
    iterations: totals.modelCalls,
    toolCalls: totals.toolCalls,
    stopReason,
  });
}

const describeCalls = (calls: ToolCall[]) =>
  calls.map((c) => `${c.name}(${JSON.stringify(c.args).slice(0, 80)})`).join(", ");

/** Iterate until the model answers; the answer (text, or the parsed object of a structured answer). */
async function iterate(loop: Loop): Promise<unknown> {
  const max = loop.node.config.maxIterations;
  const schema = loop.responseFormat?.schema;
  let repairing = false;
  for (let iteration = 1; ; iteration++) {
    await checkStepBudget(loop);
    const turn = await modelTurn(loop, iteration);
    loop.messages.push({ role: "assistant", content: turn.text, toolCalls: turn.toolCalls });
    if (turn.toolCalls.length > 0) {
      if (iteration >= max) {
        finish(loop, "max_iterations");
        throw new AgentError(
          "agent.max_iterations",
          `the agent reached maxIterations (${max}) still calling tools: ${describeCalls(turn.toolCalls)}`,
        );
      }
      loop.messages.push(...(await runToolCalls(loop, turn.toolCalls, iteration)));
      continue;
    }
    if (!schema) return turn.text;
    const checked = checkAnswer(turn.text, schema);
    if (checked.ok) return checked.value;
    if (repairing) {
      finish(loop, "output_invalid");
      throw new AgentError(
        "agent.output_invalid",
        `the answer does not match the output schema after a repair: ${checked.problem}`,
      );
    }
    repairing = true;
    loop.messages.push({ role: "user", content: repairRequest(checked.problem) });
  }
}

export async function runAgentStep(
  node: AgentNode,
  input: Omit<StepInput, "scope">,
  ctx: StepContext,
): Promise<StepResult> {
  const loop = await startLoop(node, input, ctx);
  const output = await iterate(loop);
  finish(loop, "answer");
  const t = loop.totals;
  // The workflows it called as tools: their runs' tokens and cost are this step's too.
  const called = await childTotals(ctx);
  return {
    output,
    tokensInput: t.tokensInput + called.tokensInput,
    tokensOutput: t.tokensOutput + called.tokensOutput,
    tokensReasoning: t.tokensReasoning + called.tokensReasoning,
    cost: t.cost && called.cost ? t.cost.add(called.cost) : null,
    cached: false,
    usageSource: t.usageSource,
    ...(t.model ? { model: t.model } : {}),
  };
}

export const agentHandler: NodeHandler<AgentNode> = {
  async run(node, input, ctx) {
    const result = await runAgentStep(node, input, ctx);
    return { result, edgeScope: { ...input.scope, output: toStorable(result.output) } };
  },
};
