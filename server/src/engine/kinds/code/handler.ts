/**
 * One code step: the node's JavaScript run in the sandbox (sandbox/sandbox.ts) with the run's
 * inputs, the node's rendered inputs and the upstream outputs its source names. Its console lines
 * become `log` events; a timeout, the memory limit, an error or a result that is not JSON fails the
 * step saying which. `Math.random` is seeded by the run and node, `Date` is the run's start — a
 * replay uses its recording's — so the same step computes the same thing again.
 */
import { type CodeConfig, type CodeNode, codeNodeRefs } from "@flowtrace/contract/workflow";
import { Cents } from "../../../domain/pricing/money.ts";
import { toStorable } from "../../../domain/storable-json.ts";
import type { TemplateContext } from "../../../domain/workflow/templates.ts";
import type { CodeJob } from "../../../sandbox/sandbox.ts";
import type { StepContext, StepResult } from "../../step-context.ts";
import type { NodeHandler } from "../types.ts";

/** A code step's failure: `kind` is code.timeout, code.memory, code.error or code.output. */
export class CodeError extends Error {
  override readonly name = "CodeError";
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}

/** FNV-1a: a stable 32-bit seed from the run and node. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The upstream outputs the source names (`node.<id>.output`). */
function upstreamOutputs(source: string, tctx: TemplateContext): CodeJob["node"] {
  const node: CodeJob["node"] = {};
  for (const id of codeNodeRefs(source)) {
    if (tctx.nodeOutputs.has(id)) node[id] = { output: tctx.nodeOutputs.get(id) };
  }
  return node;
}

/** Run a code config with `input`/`inputs`/`node` as given (a code node, or an agent's code tool). */
export async function runCode(
  config: CodeConfig,
  given: Pick<CodeJob, "input" | "inputs" | "node">,
  ctx: StepContext,
  key: string,
): Promise<unknown> {
  const clock = (ctx.replay?.sourceStartedAt ?? ctx.runStartedAt).getTime();
  const seed = seedOf(`${ctx.replay?.sourceRunId ?? ctx.runId}/${key}`);
  const job: CodeJob = { ...given, source: config.source, seed, clock, ...limitsOf(config) };
  const outcome = await ctx.sandbox.run(job, ctx.signal);
  if (!outcome.ok) throw new CodeError(`code.${outcome.kind}`, outcome.message);
  for (const line of outcome.logs) {
    const level = line.level === "debug" ? "info" : line.level;
    ctx.recorder.emit("log", ctx.stepId, { level, message: line.message, source: "code" });
  }
  return outcome.output;
}

const limitsOf = (config: CodeConfig) => ({ timeoutMs: config.timeoutMs, memoryMb: config.memoryMb });

async function runCodeStep(node: CodeNode, input: Parameters<NodeHandler<CodeNode>["run"]>[1], ctx: StepContext) {
  const given = {
    input: input.tctx.input,
    inputs: input.inputs,
    node: upstreamOutputs(node.config.source, input.tctx),
  };
  const output = await runCode(node.config, given, ctx, node.id);
  const result: StepResult = { output, tokensInput: 0, tokensOutput: 0, cost: Cents.ZERO, cached: false };
  return result;
}

export const codeHandler: NodeHandler<CodeNode> = {
  async run(node, input, ctx) {
    const result = await runCodeStep(node, input, ctx);
    return { result, edgeScope: { ...input.scope, output: toStorable(result.output) } };
  },
};
