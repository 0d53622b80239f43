/** The editor's toolbar: name, node palette, auto-layout, Graph/JSON tabs, save and run. */
import type { Dispatch } from "react";
import type { DraftAction } from "./draft.ts";
import { ExposeAsTool } from "./ExposeAsTool.tsx";
import { PALETTE_MIME } from "./issues.ts";
import { NODE_KINDS, type NodeKindName } from "./kinds/index.ts";

export type EditorTab = "graph" | "json" | "history";

const KIND_NAMES = Object.keys(NODE_KINDS) as NodeKindName[];

/** One button per node kind (from the registry): click to add, or drag onto the canvas. */
function Palette(props: { dispatch: Dispatch<DraftAction> }) {
  return (
    <fieldset className="palette">
      <legend className="sr-only">Add a node</legend>
      {KIND_NAMES.map((t) => (
        <button
          key={t}
          type="button"
          draggable
          onDragStart={(e) => e.dataTransfer.setData(PALETTE_MIME, t)}
          onClick={() => props.dispatch({ type: "addNode", nodeType: t })}
        >
          + {t}
        </button>
      ))}
    </fieldset>
  );
}

const TABS: { tab: EditorTab; label: string }[] = [
  { tab: "graph", label: "Graph" },
  { tab: "json", label: "JSON" },
  { tab: "history", label: "History" },
];

function Tabs(props: { tab: EditorTab; onTab: (tab: EditorTab) => void }) {
  return (
    <span role="tablist" className="tabs">
      {TABS.map(({ tab, label }) => (
        <button key={tab} type="button" role="tab" aria-selected={props.tab === tab} onClick={() => props.onTab(tab)}>
          {label}
        </button>
      ))}
    </span>
  );
}

export function EditorToolbar(props: {
  name: string;
  dirty: boolean;
  saved: boolean;
  empty: boolean;
  tab: EditorTab;
  dispatch: Dispatch<DraftAction>;
  onAutoLayout: () => void;
  onTab: (tab: EditorTab) => void;
  onSave: () => void;
  onRun: () => void;
  /** The saved workflow's id (null until it is saved). */
  workflowId: string | null;
}) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <label className="sr-only" htmlFor="wf-name">
        Workflow name
      </label>
      <input
        id="wf-name"
        className="title-input"
        value={props.name}
        onChange={(e) => props.dispatch({ type: "rename", name: e.target.value })}
      />
      <Palette dispatch={props.dispatch} />
      <button type="button" onClick={props.onAutoLayout}>
        Auto-layout
      </button>
      <Tabs tab={props.tab} onTab={props.onTab} />
      <span className="spacer" />
      <ExposeAsTool workflowId={props.workflowId} />
      {props.dirty && <span className="muted">Unsaved changes</span>}
      <button type="button" onClick={props.onSave} disabled={!props.dirty && props.saved}>
        Save
      </button>
      <button type="button" className="primary" onClick={props.onRun} disabled={props.empty}>
        Run…
      </button>
    </div>
  );
}
