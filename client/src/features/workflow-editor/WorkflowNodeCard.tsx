/** The editor's node on the canvas: type, name, entry mark, with an input and an output handle. */
import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";
import type { DocNode } from "./graph.ts";

export type WorkflowNodeData = { node: DocNode; isEntry: boolean; issues: number };
export type WorkflowFlowNode = Node<WorkflowNodeData, "workflow">;

export const WorkflowNodeCard = memo(function WorkflowNodeCard(props: NodeProps<WorkflowFlowNode>) {
  const { node, isEntry, issues } = props.data;
  return (
    <>
      <Handle type="target" position={Position.Top} />
      <span title={issues ? `${issues} issue(s): see the list` : undefined}>
        {`${node.type}: ${node.name}${isEntry ? " ▶" : ""}`}
      </span>
      <Handle type="source" position={Position.Bottom} />
    </>
  );
});

/** React Flow's node types for the editor (a constant: a new object each render remounts nodes). */
export const EDITOR_NODE_TYPES = { workflow: WorkflowNodeCard };
