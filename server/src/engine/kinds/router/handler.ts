/** One router step: evaluate the rule over the step's scope; the branch is its output. */
import { ExpressionRuntimeError, evaluate } from "../../../domain/expression/evaluate.ts";
import { parseExpression } from "../../../domain/expression/parse.ts";
import { Cents } from "../../../domain/pricing/money.ts";
import type { RouterNode } from "../../../domain/workflow/schema.ts";
import type { StepContext, StepResult } from "../../step-context.ts";
import type { NodeHandler } from "../types.ts";

export function runRouterStep(
  node: RouterNode,
  scope: Record<string, unknown>,
  ctx: Pick<StepContext, "recorder" | "stepId">,
): { result: StepResult; branch: unknown } {
  const parsed = parseExpression(node.config.rule);
  if (!parsed.ok) throw new ExpressionRuntimeError(parsed.error.message);
  const branch = evaluate(parsed.ast, scope);
  ctx.recorder.emit("router.branch", ctx.stepId, { rule: node.config.rule, branch, scope: Object.keys(scope) });
  return { result: { output: branch, tokensInput: 0, tokensOutput: 0, cost: Cents.ZERO, cached: false }, branch };
}

export const routerHandler: NodeHandler<RouterNode> = {
  async run(node, input, ctx) {
    const routed = runRouterStep(node, input.scope, ctx);
    return { result: routed.result, edgeScope: { ...input.scope, output: routed.branch, branch: routed.branch } };
  },
};
