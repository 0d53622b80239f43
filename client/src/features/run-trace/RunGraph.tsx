/** The workflow graph with live node states. */
import { Background, Controls, type Edge, type Node, ReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import { layoutGraph, type WorkflowDoc } from "../workflow-editor/graph.ts";
import { useFlowNodes } from "../workflow-editor/useFlowNodes.ts";
import type { RunView } from "./model.ts";

export default function RunGraph(props: { doc: WorkflowDoc; view: RunView; onSelectNode: (nodeId: string) => void }) {
  const { nodes, edges } = useMemo(() => {
    const positions = layoutGraph(props.doc);
    const nodes: Node[] = props.doc.nodes.map((n) => {
      const state = props.view.steps.get(n.id)?.state ?? "queued";
      return {
        id: n.id,
        position: n.position ?? positions.get(n.id) ?? { x: 0, y: 0 },
        data: { label: `${n.name} · ${state}` },
        className: `run-node state-${state}`,
        draggable: false,
        ariaLabel: `${n.id} ${state}`,
      };
    });
    const edges: Edge[] = (props.doc.edges ?? []).map((e, i) => ({
      id: `e${i}`,
      source: e.from,
      target: e.to,
      label: e.when,
      animated: props.view.steps.get(e.to)?.state === "running",
    }));
    return { nodes, edges };
  }, [props.doc, props.view]);
  const [shown, onNodesChange] = useFlowNodes(nodes);
  return (
    <div className="run-graph" data-testid="run-graph">
      <ReactFlow
        nodes={shown}
        edges={edges}
        fitView
        nodesConnectable={false}
        onNodesChange={onNodesChange}
        onNodeClick={(_e, n) => props.onSelectNode(n.id)}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
