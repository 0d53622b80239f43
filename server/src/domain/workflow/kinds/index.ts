/**
 * The document's node kinds: per type, its validation rules and what its outbound edges may read.
 * The one place the domain tells kinds apart; adding a kind is a file beside these and one line
 * here and in schema.ts's union (docs/architecture.md, "Adding a node kind").
 */
import { approvalEdgeProblem } from "../approval-edges.ts";
import type { NodeCheck } from "../node-check.ts";
import type { NodeType, WorkflowNode } from "../schema.ts";
import { checkAgentNode } from "./agent.ts";
import { checkApprovalNode } from "./approval.ts";
import { checkCodeNode } from "./code.ts";
import { checkLlmNode } from "./llm.ts";
import { checkRouterNode } from "./router.ts";
import { checkToolNode } from "./tool.ts";
import { checkWorkflowNode } from "./workflow.ts";

export interface NodeKind<N extends WorkflowNode> {
  /** The kind's own rules beyond its schema (providers, tools, templates, expressions). */
  check(node: N, c: NodeCheck): void;
  /** Its outbound edges may read `branch` (the kind decides one). */
  setsBranch: boolean;
  /** The branch is the step's output (a router's rule value), as a run diff shows it. */
  branchIsOutput?: boolean;
  /** The expressions the node evaluates at run time (what a re-run plan checks for reads of `input`). */
  expressions?: (node: N) => string[];
  /** The workflows the node runs as sub-workflows (their ids). */
  calls?: (node: N) => string[];
  /** A problem with an outbound edge's condition that parses but cannot be met. */
  edgeProblem?: (when: string) => string | null;
}

type NodeKinds = { [K in NodeType]: NodeKind<Extract<WorkflowNode, { type: K }>> };

export const NODE_KINDS: NodeKinds = {
  llm: { check: checkLlmNode, setsBranch: false },
  agent: {
    check: checkAgentNode,
    setsBranch: false,
    calls: (node) => node.config.tools.flatMap((t) => ("workflow" in t ? [t.workflow] : [])),
  },
  tool: { check: checkToolNode, setsBranch: false },
  router: { check: checkRouterNode, setsBranch: true, branchIsOutput: true, expressions: (node) => [node.config.rule] },
  approval: { check: checkApprovalNode, setsBranch: true, edgeProblem: approvalEdgeProblem },
  code: { check: checkCodeNode, setsBranch: false },
  workflow: { check: checkWorkflowNode, setsBranch: false, calls: (node) => [node.config.workflow] },
};

export function kindOf(node: WorkflowNode): NodeKind<WorkflowNode> {
  return NODE_KINDS[node.type] as NodeKind<WorkflowNode>;
}

const NODE_TYPES = Object.keys(NODE_KINDS) as NodeType[];

/** The node types whose edges may read `branch`, for hints. */
export const BRANCHING_TYPES = NODE_TYPES.filter((t) => NODE_KINDS[t].setsBranch);

/** What a stored step's node type (a string) says about the kind; false for a type this server does not know. */
export function kindHas(nodeType: string, property: "branchIsOutput"): boolean {
  return (NODE_KINDS as Record<string, NodeKind<WorkflowNode> | undefined>)[nodeType]?.[property] === true;
}
