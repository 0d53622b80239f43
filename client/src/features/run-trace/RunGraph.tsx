/**
 * The workflow graph with the run on it: each node's status, latency, tokens and cost; edges taken
 * drawn solid, edges not taken dimmed with the branch value that decided them; the slowest path
 * highlighted on request.
 */
import { Background, Controls, type Edge, type Node, ReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo, useState } from "react";
import { formatCents, formatMs, formatTokens } from "../../lib/format.ts";
import { layoutGraph, type WorkflowDoc } from "../workflow-editor/graph.ts";
import { useFlowNodes } from "../workflow-editor/useFlowNodes.ts";
import type { RunView, StepView } from "./model.ts";
import { edgeStates, slowestPath } from "./run-figures.ts";

function NodeFigures(props: { name: string; step: StepView | undefined }) {
  const s = props.step;
  const state = s?.state ?? "queued";
  const tokens = (s?.tokensInput ?? 0) + (s?.tokensOutput ?? 0);
  const cost = s?.costCents === undefined ? null : s.costCents === null ? "unknown" : formatCents(s.costCents);
  return (
    <div className="run-node-body">
      <div className="run-node-name">{props.name}</div>
      <div className="run-node-state">{state}</div>
      {s?.latencyMs !== undefined && (
        <div className="run-node-figures" data-testid={`node-figures-${s.nodeId}`}>
          {formatMs(s.latencyMs)}
          {tokens > 0 && ` · ${formatTokens(tokens)} tok`}
          {cost && (tokens > 0 || s.costCents !== "0") && ` · ${cost}`}
        </div>
      )}
    </div>
  );
}

const branchText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function useRunEdges(doc: WorkflowDoc, view: RunView, path: Set<number> | null): Edge[] {
  return useMemo(() => {
    const states = edgeStates(doc, view);
    return (doc.edges ?? []).map((e, i) => {
      const source = view.steps.get(e.from);
      const state = states[i] ?? "pending";
      const branch = source?.branch !== undefined ? ` (branch = ${branchText(source.branch)})` : "";
      const label = state === "not-taken" ? `not taken${branch}` : e.when;
      return {
        id: `e${i}`,
        source: e.from,
        target: e.to,
        label,
        className: `edge-${state}${path?.has(i) ? " edge-slowest" : ""}`,
        animated: view.steps.get(e.to)?.state === "running",
        ariaLabel: `${e.from} to ${e.to}: ${state}`,
      };
    });
  }, [doc, view, path]);
}

export default function RunGraph(props: { doc: WorkflowDoc; view: RunView; onSelectNode: (nodeId: string) => void }) {
  const [showSlowest, setShowSlowest] = useState(false);
  const path = useMemo(
    () => (showSlowest ? slowestPath(props.doc, props.view) : null),
    [showSlowest, props.doc, props.view],
  );
  const nodes = useMemo(() => {
    const positions = layoutGraph(props.doc);
    return props.doc.nodes.map((n): Node => {
      const step = props.view.steps.get(n.id);
      const state = step?.state ?? "queued";
      return {
        id: n.id,
        position: n.position ?? positions.get(n.id) ?? { x: 0, y: 0 },
        data: { label: <NodeFigures name={n.name} step={step} /> },
        className: `run-node state-${state}${path?.nodes.has(n.id) ? " slowest" : ""}`,
        draggable: false,
        ariaLabel: `${n.id} ${state}${step?.latencyMs !== undefined ? ` ${formatMs(step.latencyMs)}` : ""}`,
      };
    });
  }, [props.doc, props.view, path]);
  const edges = useRunEdges(props.doc, props.view, path?.edges ?? null);
  const [shown, onNodesChange] = useFlowNodes(nodes);
  return (
    <div className="run-graph" data-testid="run-graph">
      <div className="graph-tools">
        <label>
          <input type="checkbox" checked={showSlowest} onChange={(e) => setShowSlowest(e.target.checked)} />
          Highlight the slowest path
        </label>
      </div>
      <ReactFlow
        nodes={shown}
        edges={edges}
        fitView
        colorMode="system"
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
