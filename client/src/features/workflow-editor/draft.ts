/**
 * The editor's draft as one reducer over the pure graph helpers: the document, its name, whether it
 * has unsaved changes, and what is selected. Every edit goes through `draftReducer`, so it is
 * unit-tested without React.
 */
import {
  addNode,
  applyCanvasEdgeChanges,
  applyCanvasNodeChanges,
  autoLayout,
  type CanvasNodeChange,
  connect,
  type DocEdge,
  type DocNode,
  removeNode,
  type WorkflowDoc,
} from "./graph.ts";

export type Selection = { node?: string; edge?: number } | null;

export interface Draft {
  doc: WorkflowDoc;
  name: string;
  dirty: boolean;
  selected: Selection;
}

export type DraftAction =
  | { type: "rename"; name: string }
  | { type: "replace"; doc: WorkflowDoc }
  | { type: "addNode"; nodeType: DocNode["type"]; position?: { x: number; y: number } }
  | { type: "connect"; source: string; target: string }
  | { type: "canvasNodes"; changes: readonly CanvasNodeChange[] }
  | { type: "canvasEdges"; changes: readonly { type: string; id?: string }[] }
  | { type: "updateNode"; id: string; node: DocNode }
  | { type: "removeNode"; id: string }
  | { type: "makeEntry"; id: string }
  | { type: "updateEdge"; index: number; edge: DocEdge }
  | { type: "removeEdge"; index: number }
  | { type: "autoLayout" }
  | { type: "select"; selected: Selection }
  | { type: "saved" };

export function initialDraft(name: string, doc: WorkflowDoc): Draft {
  return { doc: { ...doc, edges: doc.edges ?? [] }, name, dirty: false, selected: null };
}

/** A changed document marks the draft dirty; the same document (a no-op change) leaves it as it was. */
const withDoc = (draft: Draft, doc: WorkflowDoc, selected: Selection = draft.selected): Draft =>
  doc === draft.doc && selected === draft.selected
    ? draft
    : { ...draft, doc, selected, dirty: draft.dirty || doc !== draft.doc };

function editDoc(draft: Draft, action: DraftAction): WorkflowDoc {
  const { doc } = draft;
  switch (action.type) {
    case "replace":
      return action.doc;
    case "connect":
      return connect(doc, action.source, action.target);
    case "canvasNodes":
      return applyCanvasNodeChanges(doc, action.changes);
    case "canvasEdges":
      return applyCanvasEdgeChanges(doc, action.changes);
    case "updateNode":
      return { ...doc, nodes: doc.nodes.map((n) => (n.id === action.id ? action.node : n)) };
    case "makeEntry":
      return { ...doc, entry: action.id };
    case "updateEdge":
      return { ...doc, edges: doc.edges.map((e, i) => (i === action.index ? action.edge : e)) };
    case "autoLayout":
      return autoLayout(doc);
    default:
      return doc;
  }
}

export function draftReducer(draft: Draft, action: DraftAction): Draft {
  switch (action.type) {
    case "rename":
      return { ...draft, name: action.name, dirty: true };
    case "select":
      return { ...draft, selected: action.selected };
    case "saved":
      return { ...draft, dirty: false };
    case "addNode": {
      const doc = addNode(draft.doc, action.nodeType, action.position);
      return withDoc(draft, doc, { node: doc.nodes.at(-1)?.id });
    }
    case "removeNode":
      return withDoc(draft, removeNode(draft.doc, action.id), null);
    case "removeEdge":
      return withDoc(draft, { ...draft.doc, edges: draft.doc.edges.filter((_, i) => i !== action.index) }, null);
    default:
      return withDoc(draft, editDoc(draft, action));
  }
}
