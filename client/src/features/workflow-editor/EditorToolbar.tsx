/** The editor's toolbar: name, node palette, auto-layout, Graph/JSON tabs, save and run. */
import type { Dispatch } from "react";
import type { DraftAction } from "./draft.ts";
import { PALETTE_MIME } from "./issues.ts";

export type EditorTab = "graph" | "json" | "history";

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
      <fieldset className="palette">
        <legend className="sr-only">Add a node</legend>
        {(["llm", "tool", "router", "approval"] as const).map((t) => (
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
      <button type="button" onClick={props.onAutoLayout}>
        Auto-layout
      </button>
      <span role="tablist" className="tabs">
        <button type="button" role="tab" aria-selected={props.tab === "graph"} onClick={() => props.onTab("graph")}>
          Graph
        </button>
        <button type="button" role="tab" aria-selected={props.tab === "json"} onClick={() => props.onTab("json")}>
          JSON
        </button>
        <button type="button" role="tab" aria-selected={props.tab === "history"} onClick={() => props.onTab("history")}>
          History
        </button>
      </span>
      <span className="spacer" />
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
