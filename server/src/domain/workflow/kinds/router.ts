/** The `router` node kind in the document: a rule whose value is the branch its edges gate on. */
import { z } from "zod";
import { parseExpression } from "../../expression/parse.ts";
import { nodeSchemaOf } from "../node-base.ts";
import { expressionScope, type NodeCheck } from "../node-check.ts";

export const routerConfigSchema = z.strictObject({
  rule: z.string({ message: "expected a rule expression" }).min(1, { message: "expected a rule expression" }),
});

export const routerNodeSchema = nodeSchemaOf("router", routerConfigSchema);

export type RouterNode = z.infer<typeof routerNodeSchema>;

/** The rule parses and reads only names in the node's scope. */
export function checkRouterNode(node: RouterNode, c: NodeCheck): void {
  const parsed = parseExpression(node.config.rule, expressionScope(node, false));
  if (!parsed.ok) c.add(c.at("config", "rule"), parsed.error.message);
}
