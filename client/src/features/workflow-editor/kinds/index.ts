/**
 * The editor's node kinds: one entry per node type the server defines (a type missing here fails to
 * compile). Adding a kind: a file beside these and one line here (docs/architecture.md).
 */
import type { NodeType } from "@flowtrace/contract/workflow";
import { agentKind } from "./agent.tsx";
import { approvalKind } from "./approval.tsx";
import { codeKind } from "./code.tsx";
import { llmKind } from "./llm.tsx";
import { routerKind } from "./router.tsx";
import { toolKind } from "./tool.tsx";
import type { NodeKindUi } from "./types.ts";
import { workflowKind } from "./workflow.tsx";

export type NodeKindName = NodeType;

export const NODE_KINDS: Record<NodeKindName, NodeKindUi> = {
  llm: llmKind,
  agent: agentKind,
  tool: toolKind,
  router: routerKind,
  approval: approvalKind,
  code: codeKind,
  workflow: workflowKind,
};

export type { KindFieldsProps } from "./fields.tsx";
export type { NodeKindUi } from "./types.ts";
