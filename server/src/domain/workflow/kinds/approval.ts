/** Validation of the `approval` node kind: its message. Its schema is in @flowtrace/contract/workflow. */
import type { ApprovalNode } from "@flowtrace/contract/workflow";
import type { NodeCheck } from "../node-check.ts";

/** The approver's message is a template that must resolve. */
export function checkApprovalNode(node: ApprovalNode, c: NodeCheck): void {
  c.templates(node.config.message, c.at("config", "message"));
}
