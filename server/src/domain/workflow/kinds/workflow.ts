/**
 * Validation of the `workflow` node kind (a sub-workflow): its inputs' templates. That the workflow
 * exists in the project, and that calls make no cycle and stay within the depth limit, needs the
 * other documents: services/workflow-calls.ts checks it when a workflow is saved and a run starts.
 */
import type { WorkflowNodeDoc } from "@flowtrace/contract/workflow";
import type { NodeCheck } from "../node-check.ts";
import { hasTemplate, scanValue } from "../templates.ts";

export function checkWorkflowNode(node: WorkflowNodeDoc, c: NodeCheck): void {
  scanValue(node.config.inputs ?? {}, (text, p) => {
    if (hasTemplate(text)) c.templates(text, c.at("config", "inputs", ...p));
  });
}
