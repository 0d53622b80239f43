/**
 * A controlled React Flow canvas's nodes: drawn from our data, with React Flow's own bookkeeping
 * (measured sizes, drag state) kept between drawings by its `applyNodeChanges`. React Flow v12
 * hides nodes whose measurements a controlled flow drops.
 */
import { applyNodeChanges, type Node, type NodeChange } from "@xyflow/react";
import { useCallback, useEffect, useState } from "react";

export function useFlowNodes<N extends Node>(drawn: N[]) {
  const [nodes, setNodes] = useState(drawn);
  useEffect(() => {
    setNodes((shown) => {
      const measured = new Map(shown.map((n) => [n.id, n.measured]));
      return drawn.map((n) => ({ ...n, measured: measured.get(n.id) ?? n.measured }));
    });
  }, [drawn]);
  const onChange = useCallback((changes: NodeChange<N>[]) => setNodes((shown) => applyNodeChanges(changes, shown)), []);
  return [nodes, onChange] as const;
}
