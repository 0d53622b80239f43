/**
 * The structural difference between two workflow documents: nodes added, removed and changed (each
 * change a path inside the node with its old and new value), edges added and removed, and changes
 * to the document's own settings (entry, limits, parallel). Pure.
 */

import type { PathChange, WorkflowDiff } from "@flowtrace/contract/diffs";
import { pathChanges } from "../diff.ts";

interface DocNode {
  id: string;
  [key: string]: unknown;
}
interface DocEdge {
  from: string;
  to: string;
  when?: string;
}
interface Doc {
  nodes?: DocNode[];
  edges?: DocEdge[];
  [key: string]: unknown;
}

export type { WorkflowDiff } from "@flowtrace/contract/diffs";

const byId = (nodes: DocNode[] | undefined) => new Map((nodes ?? []).map((n) => [n.id, n]));
/** An edge is its ends and its condition: a changed condition is one edge removed and one added. */
const edgeKey = (e: DocEdge) => JSON.stringify([e.from, e.to, e.when ?? null]);

function diffNodes(a: Doc, b: Doc): WorkflowDiff["nodes"] {
  const before = byId(a.nodes);
  const after = byId(b.nodes);
  const changed: { id: string; changes: PathChange[] }[] = [];
  for (const [id, node] of after) {
    const old = before.get(id);
    const changes = old ? pathChanges(old, node) : [];
    if (changes.length > 0) changed.push({ id, changes });
  }
  return {
    added: [...after.values()].filter((n) => !before.has(n.id)),
    removed: [...before.values()].filter((n) => !after.has(n.id)),
    changed,
  };
}

function diffEdges(a: Doc, b: Doc): WorkflowDiff["edges"] {
  const before = new Set((a.edges ?? []).map(edgeKey));
  const after = new Set((b.edges ?? []).map(edgeKey));
  return {
    added: (b.edges ?? []).filter((e) => !before.has(edgeKey(e))),
    removed: (a.edges ?? []).filter((e) => !after.has(edgeKey(e))),
  };
}

const settingsOf = (doc: Doc) => {
  const { nodes: _nodes, edges: _edges, ...settings } = doc;
  return settings;
};

export function diffWorkflows(a: unknown, b: unknown): WorkflowDiff {
  const docA = (a ?? {}) as Doc;
  const docB = (b ?? {}) as Doc;
  return {
    nodes: diffNodes(docA, docB),
    edges: diffEdges(docA, docB),
    settings: pathChanges(settingsOf(docA), settingsOf(docB)),
  };
}

export function isEmptyDiff(d: WorkflowDiff): boolean {
  return (
    d.nodes.added.length + d.nodes.removed.length + d.nodes.changed.length === 0 &&
    d.edges.added.length + d.edges.removed.length === 0 &&
    d.settings.length === 0
  );
}
