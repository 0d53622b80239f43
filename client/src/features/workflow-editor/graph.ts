/** Pure helpers between the workflow document and the editor: layout, ids, issue locations, completions. */
import { Graph, layout } from "@dagrejs/dagre";
import type { WorkflowInput as WorkflowDocument } from "@flowtrace/contract/workflow";
import { NODE_KINDS } from "./kinds/index.ts";

/** A node of the document as the server defines it (generated from its JSON Schema). */
type DocumentNode = WorkflowDocument["nodes"][number];

/**
 * The editor's draft: the server's document, loosened where a draft may be unfinished — a node's
 * config is whatever the user has typed so far (the server's validation says what is missing), and
 * the edge list is always present.
 */
export type DocNode = Omit<DocumentNode, "config" | "inputs"> & {
  config: Record<string, unknown>;
  inputs?: Record<string, unknown>;
};
export type DocEdge = NonNullable<WorkflowDocument["edges"]>[number];
export type WorkflowDoc = Omit<WorkflowDocument, "nodes" | "edges" | "$schema"> & {
  nodes: DocNode[];
  edges: DocEdge[];
};

export function emptyDoc(): WorkflowDoc {
  return { version: "1", entry: "", nodes: [], edges: [] };
}

export function nextId(doc: WorkflowDoc, type: string): string {
  const taken = new Set(doc.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!taken.has(`${type}_${i}`)) return `${type}_${i}`;
}

export function addNode(doc: WorkflowDoc, type: DocNode["type"], position?: { x: number; y: number }): WorkflowDoc {
  const id = nextId(doc, type);
  const node: DocNode = {
    id,
    type,
    name: id,
    config: structuredClone(NODE_KINDS[type].defaultConfig),
    ...(NODE_KINDS[type].hasInputs ? { inputs: {} } : {}),
    ...(position ? { position } : {}),
  };
  return { ...doc, entry: doc.entry || id, nodes: [...doc.nodes, node] };
}

export function removeNode(doc: WorkflowDoc, id: string): WorkflowDoc {
  const nodes = doc.nodes.filter((n) => n.id !== id);
  return {
    ...doc,
    nodes,
    edges: doc.edges.filter((e) => e.from !== id && e.to !== id),
    entry: doc.entry === id ? (nodes[0]?.id ?? "") : doc.entry,
  };
}

export function connect(doc: WorkflowDoc, from: string, to: string): WorkflowDoc {
  if (doc.edges.some((e) => e.from === from && e.to === to)) return doc;
  return { ...doc, edges: [...doc.edges, { from, to }] };
}

/**
 * Level-based layout, top to bottom like the nodes' handles (inputs on top, outputs below): y by
 * longest path from the entry, x by order within the level. Top to bottom also fits the run view's
 * narrow graph pane.
 */
/** The size the layout reserves for a node card (the canvas draws them about this size). */
export const NODE_BOX = { width: 200, height: 56 };

/**
 * Top to bottom (inputs on top, outputs below), layered by dagre so fan-outs, routers and joins sit
 * without crossings; a cycle (an invalid document) is laid out anyway. Positions are top-left corners.
 */
export function layoutGraph(doc: Pick<WorkflowDoc, "nodes" | "edges">): Map<string, { x: number; y: number }> {
  const g = new Graph();
  g.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 54, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(n.id, { ...NODE_BOX });
  for (const e of doc.edges) if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to);
  layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of doc.nodes) {
    const p = g.node(n.id);
    out.set(n.id, { x: Math.round(p.x - NODE_BOX.width / 2), y: Math.round(p.y - NODE_BOX.height / 2) });
  }
  return out;
}

export function autoLayout(doc: WorkflowDoc): WorkflowDoc {
  const positions = layoutGraph(doc);
  return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? { x: 0, y: 0 } })) };
}

/** Which node or edge a validation issue's path points at. */
export function issueTarget(doc: WorkflowDoc, path: string): { node?: string; edge?: number } {
  const n = /^nodes\[(\d+)\]/.exec(path);
  if (n) return { node: doc.nodes[Number(n[1])]?.id };
  const e = /^edges\[(\d+)\]/.exec(path);
  if (e) return { edge: Number(e[1]) };
  if (path === "entry") return { node: doc.entry };
  return {};
}

/** Template completions for a node: upstream outputs and run inputs used anywhere in the document. */
export function templateSuggestions(doc: WorkflowDoc, nodeId: string): string[] {
  const parents = new Map<string, string[]>();
  for (const e of doc.edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  const upstream = new Set<string>();
  const walk = (id: string) => {
    for (const p of parents.get(id) ?? []) {
      if (!upstream.has(p)) {
        upstream.add(p);
        walk(p);
      }
    }
  };
  walk(nodeId);
  const inputs = new Set<string>();
  for (const m of JSON.stringify(doc).matchAll(/\{\{\s*input\.([A-Za-z_][A-Za-z0-9_]*)/g)) inputs.add(m[1] as string);
  return [
    ...[...upstream].map((id) => `{{node.${id}.output}}`),
    ...[...inputs].map((name) => `{{input.${name}}}`),
    "{{input.topic}}",
  ].filter((v, i, all) => all.indexOf(v) === i);
}

/** Run inputs a document expects (`{{input.x}}` references). */
export function inputNames(doc: WorkflowDoc): string[] {
  const names = new Set<string>();
  for (const m of JSON.stringify(doc).matchAll(/\{\{\s*input\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1] as string);
  return [...names].sort();
}

/** What the canvas reports about nodes (React Flow's NodeChange, as far as the document cares). */
export type CanvasNodeChange = { type: string; id?: string; position?: { x: number; y: number } };

/** Moves and removals from the canvas, applied to the document (the same document when none apply). */
export function applyCanvasNodeChanges(doc: WorkflowDoc, changes: readonly CanvasNodeChange[]): WorkflowDoc {
  let next = doc;
  for (const ch of changes) {
    const { id, position } = ch;
    if (ch.type === "position" && position && id) {
      next = { ...next, nodes: next.nodes.map((n) => (n.id === id ? { ...n, position } : n)) };
    }
    if (ch.type === "remove" && id) next = removeNode(next, id);
  }
  return next;
}

/** Edge removals from the canvas (edge ids are `e<index>`), applied to the document. */
export function applyCanvasEdgeChanges(
  doc: WorkflowDoc,
  changes: readonly { type: string; id?: string }[],
): WorkflowDoc {
  const removed = new Set(changes.filter((c) => c.type === "remove" && c.id).map((c) => Number(c.id?.slice(1))));
  return removed.size ? { ...doc, edges: doc.edges.filter((_, i) => !removed.has(i)) } : doc;
}
