/** The editor's canvas: the draft drawn with React Flow; palette drops, connections, moves, removals. */
import { Background, Controls, type Edge, MiniMap, ReactFlow, useReactFlow } from "@xyflow/react";
import { type Dispatch, useMemo } from "react";
import type { DraftAction, Selection } from "./draft.ts";
import { type DocNode, layoutGraph, type WorkflowDoc } from "./graph.ts";
import { type IssuesByTarget, PALETTE_MIME } from "./issues.ts";
import { useFlowNodes } from "./useFlowNodes.ts";
import { EDITOR_NODE_TYPES, type WorkflowFlowNode } from "./WorkflowNodeCard.tsx";

function drawNodes(doc: WorkflowDoc, issues: IssuesByTarget, selected: Selection): WorkflowFlowNode[] {
  const positions = layoutGraph(doc);
  return doc.nodes.map((n) => ({
    id: n.id,
    type: "workflow",
    position: n.position ?? positions.get(n.id) ?? { x: 0, y: 0 },
    data: { node: n, isEntry: n.id === doc.entry, issues: issues.nodes.get(n.id)?.length ?? 0 },
    className: `editor-node type-${n.type}${issues.nodes.has(n.id) ? " has-issue" : ""}`,
    selected: selected?.node === n.id,
    ariaLabel: `node ${n.id}`,
  }));
}

export function EditorCanvas(props: {
  doc: WorkflowDoc;
  selected: Selection;
  issues: IssuesByTarget;
  dispatch: Dispatch<DraftAction>;
}) {
  const { doc, selected, issues, dispatch } = props;
  const flow = useReactFlow();
  const drawn = useMemo(() => drawNodes(doc, issues, selected), [doc, issues, selected]);
  const [nodes, onFlowNodesChange] = useFlowNodes(drawn);
  const edges: Edge[] = doc.edges.map((e, i) => ({
    id: `e${i}`,
    source: e.from,
    target: e.to,
    label: e.when,
    className: issues.edges.has(i) ? "has-issue" : "",
    selected: selected?.edge === i,
  }));
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for palette drags; keyboard users add nodes with the toolbar buttons
    <div
      className="canvas"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const nodeType = e.dataTransfer.getData(PALETTE_MIME) as DocNode["type"];
        if (nodeType)
          dispatch({ type: "addNode", nodeType, position: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
      }}
    >
      {doc.nodes.length === 0 && (
        <p className="canvas-empty muted">
          Empty workflow: add an llm, tool or router node from the toolbar (click or drag).
        </p>
      )}
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={EDITOR_NODE_TYPES}
        fitView
        deleteKeyCode={["Delete", "Backspace"]}
        onNodeClick={(_e, n) => dispatch({ type: "select", selected: { node: n.id } })}
        onEdgeClick={(_e, ed) => dispatch({ type: "select", selected: { edge: Number(ed.id.slice(1)) } })}
        onPaneClick={() => dispatch({ type: "select", selected: null })}
        onConnect={(c) => c.source && c.target && dispatch({ type: "connect", source: c.source, target: c.target })}
        onNodesChange={(changes) => {
          onFlowNodesChange(changes);
          dispatch({ type: "canvasNodes", changes });
          // Enter or Space on a focused node selects it (React Flow's keyboard selection).
          const picked = changes.find((c) => c.type === "select" && c.selected);
          if (picked?.type === "select") dispatch({ type: "select", selected: { node: picked.id } });
        }}
        onEdgesChange={(changes) => dispatch({ type: "canvasEdges", changes })}
      >
        <Background />
        <MiniMap pannable zoomable />
        <Controls />
      </ReactFlow>
    </div>
  );
}
