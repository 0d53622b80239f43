/**
 * Connect the selected node to another from the keyboard: the canvas connects by dragging a handle,
 * which a keyboard cannot do; this adds the same edge (`connect`, validated like a drawn one).
 */
import { useId, useState } from "react";
import type { DocEdge, DocNode } from "./graph.ts";

export function ConnectControl(props: {
  node: DocNode;
  nodes: readonly DocNode[];
  edges: readonly DocEdge[];
  onConnect: (target: string) => void;
}) {
  const id = useId();
  const linked = new Set(props.edges.filter((e) => e.from === props.node.id).map((e) => e.to));
  const targets = props.nodes.filter((n) => n.id !== props.node.id && !linked.has(n.id));
  const [target, setTarget] = useState("");
  const chosen = targets.some((n) => n.id === target) ? target : (targets[0]?.id ?? "");
  if (targets.length === 0) return null;
  return (
    <div className="field connect-control">
      <label htmlFor={id}>Connect {props.node.id} to</label>
      <div className="input-row">
        <select id={id} value={chosen} onChange={(e) => setTarget(e.target.value)}>
          {targets.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name} ({n.id})
            </option>
          ))}
        </select>
        <button type="button" onClick={() => chosen && props.onConnect(chosen)}>
          Add edge
        </button>
      </div>
    </div>
  );
}
