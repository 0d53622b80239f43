/** Validation issues grouped by the node or edge their path points at (for the canvas and panels). */
import { issueTarget, type WorkflowDoc } from "./graph.ts";
import type { Issue } from "./ValidationList.tsx";

export interface IssuesByTarget {
  nodes: Map<string, string[]>;
  edges: Map<number, string[]>;
}

/** What the palette's buttons put on a drag (the node type). */
export const PALETTE_MIME = "application/flowtrace-node";

export function issuesByTarget(doc: WorkflowDoc, issues: readonly Issue[]): IssuesByTarget {
  const nodes = new Map<string, string[]>();
  const edges = new Map<number, string[]>();
  for (const i of issues) {
    const t = issueTarget(doc, i.path);
    const text = `${i.path}: ${i.message}`;
    if (t.node) nodes.set(t.node, [...(nodes.get(t.node) ?? []), text]);
    if (t.edge !== undefined) edges.set(t.edge, [...(edges.get(t.edge) ?? []), text]);
  }
  return { nodes, edges };
}
