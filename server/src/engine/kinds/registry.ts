/**
 * The engine's node kinds: one handler per node type, the only place the engine tells kinds apart.
 * Adding a kind: a folder under kinds/ with its handler, and one line here (docs/architecture.md).
 */
import type { WorkflowNode } from "../../domain/workflow/schema.ts";
import { agentHandler } from "./agent/handler.ts";
import { approvalHandler } from "./approval/handler.ts";
import { codeHandler } from "./code/handler.ts";
import { llmHandler } from "./llm/handler.ts";
import { routerHandler } from "./router/handler.ts";
import { toolHandler } from "./tool/handler.ts";
import type { NodeHandler, NodeHandlers } from "./types.ts";
import { workflowHandler } from "./workflow/handler.ts";

export const NODE_HANDLERS: NodeHandlers = {
  llm: llmHandler,
  agent: agentHandler,
  tool: toolHandler,
  router: routerHandler,
  approval: approvalHandler,
  code: codeHandler,
  workflow: workflowHandler,
};

export function handlerFor(node: WorkflowNode): NodeHandler<WorkflowNode> {
  return NODE_HANDLERS[node.type] as NodeHandler<WorkflowNode>;
}
