/** Validation of the `router` node kind: its rule. Its schema is in @flowtrace/contract/workflow. */
import type { RouterNode } from "@flowtrace/contract/workflow";
import { parseExpression } from "../../expression/parse.ts";
import { expressionScope, type NodeCheck } from "../node-check.ts";

/** The rule parses and reads only names in the node's scope. */
export function checkRouterNode(node: RouterNode, c: NodeCheck): void {
  const parsed = parseExpression(node.config.rule, expressionScope(node, false));
  if (!parsed.ok) c.add(c.at("config", "rule"), parsed.error.message);
}
