/**
 * React Flow (v12) measures nodes and reports it as `dimensions` changes; a controlled flow must
 * feed those measurements back (`node.measured`) or nodes stay hidden. This keeps them.
 */
import type { Node, NodeChange } from "@xyflow/react";
import { useCallback, useState } from "react";

export function useMeasured() {
  const [sizes, setSizes] = useState<Record<string, { width: number; height: number }>>({});
  const record = useCallback((changes: NodeChange[]) => {
    const measured = changes.filter(
      (c): c is Extract<NodeChange, { type: "dimensions" }> => c.type === "dimensions" && Boolean(c.dimensions),
    );
    if (measured.length === 0) return;
    setSizes((prev) => {
      const next = { ...prev };
      for (const c of measured) if (c.dimensions) next[c.id] = c.dimensions;
      return next;
    });
  }, []);
  const withSizes = useCallback(
    (nodes: Node[]) => nodes.map((n) => (sizes[n.id] ? { ...n, measured: sizes[n.id] } : n)),
    [sizes],
  );
  return { record, withSizes };
}
