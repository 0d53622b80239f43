/**
 * Validation of the `code` node kind: the upstream outputs its source names (`node.<id>.output`)
 * must be of nodes upstream of it, as a template's would. The source itself is parsed by the
 * sandbox when the step runs (a syntax error fails the step, naming the line). Its schema is in
 * @flowtrace/contract/workflow.
 */
import { type CodeNode, codeNodeRefs } from "@flowtrace/contract/workflow";
import type { NodeCheck } from "../node-check.ts";

export function checkCodeNode(node: CodeNode, c: NodeCheck): void {
  const refs = codeNodeRefs(node.config.source);
  if (refs.length === 0) return;
  c.templates(refs.map((id) => `{{node.${id}.output}}`).join(" "), c.at("config", "source"));
}
