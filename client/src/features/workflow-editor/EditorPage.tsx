/** The workflow editor (code-split: React Flow loads only here and in the run view). */

import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { Skeleton } from "../../components/Skeleton.tsx";
import "@xyflow/react/dist/style.css";
import { useNavigate } from "@tanstack/react-router";
import { type Dispatch, useMemo, useReducer, useState } from "react";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../lib/errors.ts";
import { CatalogQuery, StartRunMutation, WorkflowQuery } from "./documents.ts";
import { type Draft, type DraftAction, draftReducer, initialDraft } from "./draft.ts";
import { EditorCanvas } from "./EditorCanvas.tsx";
import { type EditorTab, EditorToolbar } from "./EditorToolbar.tsx";
import { emptyDoc, inputNames, type WorkflowDoc } from "./graph.ts";
import { issuesByTarget } from "./issues.ts";
import { JsonTab } from "./JsonTab.tsx";
import type { Catalog } from "./NodePanel.tsx";
import { RunDialog } from "./RunDialog.tsx";
import { SidePanel } from "./SidePanel.tsx";
import { useLiveValidation } from "./useLiveValidation.ts";
import { useSaveWorkflow } from "./useSaveWorkflow.ts";
import { useUnsavedChangesGuard } from "./useUnsavedChangesGuard.ts";
import { VersionHistory } from "./VersionHistory.tsx";

export default function EditorPage(props: { id: string | null }) {
  // A draft saved for the first time moves to its id without reloading what is on screen.
  const [created, setCreated] = useState<string | null>(null);
  // A restored version replaces the document on screen: a new Editor over the restored document.
  const [restored, setRestored] = useState<{ version: number; doc: WorkflowDoc } | null>(null);
  const loadId = props.id && props.id !== created ? props.id : null;
  const [{ data, fetching, error }] = useQuery({
    query: WorkflowQuery,
    variables: { id: loadId ?? "" },
    pause: !loadId,
  });
  if (loadId && fetching && !data) return <Skeleton label="Loading workflow" lines={6} />;
  if (loadId && error) return <p className="error">Could not load the workflow: {describeError(error)}</p>;
  if (loadId && data && !data.workflow)
    return <p className="error">This workflow does not exist (it may have been deleted).</p>;
  const wf = loadId ? data?.workflow : undefined;
  return (
    <ReactFlowProvider>
      <Editor
        key={`${wf?.id ?? "new"}:${restored?.version ?? 0}`}
        id={wf?.id ?? created ?? null}
        initialName={wf?.name ?? "Untitled workflow"}
        initialDoc={restored?.doc ?? (wf ? (wf.graphJson as WorkflowDoc) : emptyDoc())}
        onCreated={setCreated}
        initialTab={restored ? "history" : "graph"}
        onRestored={(version, doc) => setRestored({ version, doc })}
      />
    </ReactFlowProvider>
  );
}

/** Providers and models for the node panel's pickers. */
function useCatalog(): Catalog {
  const [{ data }] = useQuery({ query: CatalogQuery });
  return useMemo(
    () => ({
      providers: data?.providers ?? [
        { name: "openai", simulated: false },
        { name: "anthropic", simulated: false },
      ],
      models:
        data?.pricing.models.flatMap((m) => [m, ...m.aliases.map((a) => ({ provider: m.provider, model: a }))]) ?? [],
    }),
    [data],
  );
}

interface EditorProps {
  id: string | null;
  initialName: string;
  initialDoc: WorkflowDoc;
  onCreated: (id: string) => void;
  onRestored: (version: number, doc: WorkflowDoc) => void;
  initialTab: EditorTab;
}

/** Save (creating the workflow the first time) and run (saving first when needed), with their message. */
function useEditorCommands(props: EditorProps, draft: Draft, dispatch: Dispatch<DraftAction>) {
  const [message, setMessage] = useState<string | null>(null);
  const { savedId, save: saveWorkflow } = useSaveWorkflow(props.id);
  const [, startRun] = useMutation(StartRunMutation);
  const navigate = useNavigate();
  const guard = useUnsavedChangesGuard(draft.dirty);

  const save = async () => {
    setMessage(null);
    const saved = await saveWorkflow(draft.name, draft.doc);
    if (saved.id) {
      guard.clear();
      dispatch({ type: "saved" });
    }
    if (saved.id && saved.created) {
      props.onCreated(saved.id);
      await navigate({ to: "/workflows/$workflowId", params: { workflowId: saved.id }, replace: true });
    }
    setMessage(saved.message);
    return saved.id;
  };

  const run = async (inputVars: Record<string, unknown>) => {
    const id = draft.dirty || !savedId ? await save() : savedId;
    if (!id) return;
    const r = await startRun({ workflowId: id, inputVars });
    const out = r.data?.startRun;
    if (out?.__typename === "Run") await navigate({ to: "/runs/$runId", params: { runId: out.id } });
    else
      setMessage(out && "message" in out ? out.message : r.error ? describeError(r.error) : "Could not start the run");
  };
  return { savedId, message, save, run };
}

function Editor(props: EditorProps) {
  const [draft, dispatch] = useReducer(draftReducer, undefined, () =>
    initialDraft(props.initialName, props.initialDoc),
  );
  const [tab, setTab] = useState<EditorTab>(props.initialTab);
  const [runDialog, setRunDialog] = useState(false);
  const { savedId, message, save, run: runWorkflow } = useEditorCommands(props, draft, dispatch);
  const flow = useReactFlow();
  const catalog = useCatalog();
  const issues = useLiveValidation(draft.doc);
  const byTarget = useMemo(() => issuesByTarget(draft.doc, issues), [draft.doc, issues]);
  const run = async (inputVars: Record<string, unknown>) => {
    setRunDialog(false);
    await runWorkflow(inputVars);
  };

  return (
    <div className="editor">
      <EditorToolbar
        name={draft.name}
        dirty={draft.dirty}
        saved={Boolean(savedId)}
        empty={draft.doc.nodes.length === 0}
        tab={tab}
        dispatch={dispatch}
        onAutoLayout={() => {
          dispatch({ type: "autoLayout" });
          // Show the whole new layout once React Flow has the moved nodes.
          requestAnimationFrame(() => flow.fitView());
        }}
        onTab={setTab}
        onSave={save}
        onRun={() => setRunDialog(true)}
        workflowId={savedId ?? null}
      />
      {message && (
        <p className={message === "Saved." ? "notice" : "error"} role="status">
          {message}
        </p>
      )}
      <div className="editor-body">
        {tab === "graph" && (
          <EditorCanvas doc={draft.doc} selected={draft.selected} issues={byTarget} dispatch={dispatch} />
        )}
        {tab === "json" && <JsonTab doc={draft.doc} onChange={(doc) => dispatch({ type: "replace", doc })} />}
        {tab === "history" && <VersionHistory workflowId={savedId} dirty={draft.dirty} onRestored={props.onRestored} />}
        <SidePanel draft={draft} catalog={catalog} issues={issues} issuesByTarget={byTarget} dispatch={dispatch} />
      </div>
      {runDialog && <RunDialog names={inputNames(draft.doc)} onCancel={() => setRunDialog(false)} onRun={run} />}
    </div>
  );
}
