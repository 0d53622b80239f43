/** The editor's side panel: the selected node's or edge's settings, then the validation list. */
import type { Dispatch } from "react";
import { ConnectControl } from "./ConnectControl.tsx";
import type { Draft, DraftAction } from "./draft.ts";
import { issueTarget, templateSuggestions } from "./graph.ts";
import type { IssuesByTarget } from "./issues.ts";
import { type Catalog, EdgePanel, NodePanel } from "./NodePanel.tsx";
import { type Issue, ValidationList } from "./ValidationList.tsx";

function Selected(props: { draft: Draft; catalog: Catalog; issues: IssuesByTarget; dispatch: Dispatch<DraftAction> }) {
  const { draft, dispatch } = props;
  const { doc, selected } = draft;
  const node = selected?.node ? doc.nodes.find((n) => n.id === selected.node) : undefined;
  if (node) {
    return (
      <>
        <ConnectControl
          node={node}
          nodes={doc.nodes}
          edges={doc.edges}
          onConnect={(target) => dispatch({ type: "connect", source: node.id, target })}
        />
        <NodePanel
          node={node}
          isEntry={node.id === doc.entry}
          catalog={props.catalog}
          suggestions={templateSuggestions(doc, node.id)}
          issues={props.issues.nodes.get(node.id) ?? []}
          onChange={(n) => dispatch({ type: "updateNode", id: node.id, node: n })}
          onDelete={() => dispatch({ type: "removeNode", id: node.id })}
          onMakeEntry={() => dispatch({ type: "makeEntry", id: node.id })}
        />
      </>
    );
  }
  const index = selected?.edge;
  const edge = index !== undefined ? doc.edges[index] : undefined;
  if (edge && index !== undefined) {
    return (
      <EdgePanel
        edge={edge}
        index={index}
        issues={props.issues.edges.get(index) ?? []}
        onChange={(e) => dispatch({ type: "updateEdge", index, edge: e })}
        onDelete={() => dispatch({ type: "removeEdge", index })}
      />
    );
  }
  return <p className="muted panel">Select a node or an edge to configure it.</p>;
}

export function SidePanel(props: {
  draft: Draft;
  catalog: Catalog;
  issues: Issue[];
  issuesByTarget: IssuesByTarget;
  dispatch: Dispatch<DraftAction>;
}) {
  const { draft, dispatch } = props;
  return (
    <div className="side">
      <Selected draft={draft} catalog={props.catalog} issues={props.issuesByTarget} dispatch={dispatch} />
      <ValidationList
        doc={draft.doc}
        issues={props.issues}
        onSelect={(path) => dispatch({ type: "select", selected: issueTarget(draft.doc, path) })}
      />
    </div>
  );
}
