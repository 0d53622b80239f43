/** The workflow editor (code-split: React Flow loads only here and in the run view). */
import {
  addEdge,
  Background,
  type Connection,
  Controls,
  type Edge,
  MiniMap,
  type Node,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery } from "urql";
import { CatalogQuery, StartRunMutation, WorkflowQuery } from "../app/documents.ts";
import {
  addNode,
  applyCanvasEdgeChanges,
  applyCanvasNodeChanges,
  autoLayout,
  connect,
  type DocNode,
  emptyDoc,
  inputNames,
  issueTarget,
  layoutGraph,
  removeNode,
  templateSuggestions,
  type WorkflowDoc,
} from "../features/workflow-editor/graph.ts";
import { JsonTab } from "../features/workflow-editor/JsonTab.tsx";
import { type Catalog, EdgePanel, NodePanel } from "../features/workflow-editor/NodePanel.tsx";
import { RunDialog } from "../features/workflow-editor/RunDialog.tsx";
import { useLiveValidation } from "../features/workflow-editor/useLiveValidation.ts";
import { useMeasured } from "../features/workflow-editor/useMeasured.ts";
import { useSaveWorkflow } from "../features/workflow-editor/useSaveWorkflow.ts";
import { ValidationList } from "../features/workflow-editor/ValidationList.tsx";
import { navigate } from "../lib/router.tsx";

export default function EditorPage(props: { id: string | null }) {
  const [{ data, fetching, error }] = useQuery({
    query: WorkflowQuery,
    variables: { id: props.id ?? "" },
    pause: !props.id,
  });
  if (props.id && fetching && !data) return <p className="muted">Loading workflow…</p>;
  if (error) return <p className="error">Could not load the workflow: {error.message}</p>;
  if (props.id && data && !data.workflow)
    return <p className="error">This workflow does not exist (it may have been deleted).</p>;
  const wf = data?.workflow;
  return (
    <ReactFlowProvider>
      <Editor
        key={wf?.id ?? "new"}
        id={wf?.id ?? null}
        initialName={wf?.name ?? "Untitled workflow"}
        initialDoc={wf ? (wf.graphJson as WorkflowDoc) : emptyDoc()}
      />
    </ReactFlowProvider>
  );
}

function Editor(props: { id: string | null; initialName: string; initialDoc: WorkflowDoc }) {
  const [doc, setDoc] = useState<WorkflowDoc>(() => ({ ...props.initialDoc, edges: props.initialDoc.edges ?? [] }));
  const [name, setName] = useState(props.initialName);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<{ node?: string; edge?: number } | null>(null);
  const [tab, setTab] = useState<"graph" | "json">("graph");
  const [message, setMessage] = useState<string | null>(null);
  const [runDialog, setRunDialog] = useState(false);
  const { savedId, save: saveWorkflow } = useSaveWorkflow(props.id);
  const [{ data: catalogData }] = useQuery({ query: CatalogQuery });
  const [, startRun] = useMutation(StartRunMutation);
  const flow = useReactFlow();
  const measured = useMeasured();
  const wrapper = useRef<HTMLDivElement>(null);

  const catalog: Catalog = useMemo(
    () => ({
      providers: catalogData?.providers ?? [
        { name: "openai", simulated: false },
        { name: "anthropic", simulated: false },
      ],
      models:
        catalogData?.pricing.models.flatMap((m) => [
          m,
          ...m.aliases.map((a) => ({ provider: m.provider, model: a })),
        ]) ?? [],
    }),
    [catalogData],
  );

  const change = useCallback((next: WorkflowDoc) => {
    setDoc(next);
    setDirty(true);
  }, []);

  const issues = useLiveValidation(doc);

  // Unsaved-changes guard for reloads and closing the tab.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  const issuesByTarget = useMemo(() => {
    const nodes = new Map<string, string[]>();
    const edges = new Map<number, string[]>();
    for (const i of issues) {
      const t = issueTarget(doc, i.path);
      if (t.node) nodes.set(t.node, [...(nodes.get(t.node) ?? []), `${i.path}: ${i.message}`]);
      if (t.edge !== undefined) edges.set(t.edge, [...(edges.get(t.edge) ?? []), `${i.path}: ${i.message}`]);
    }
    return { nodes, edges };
  }, [issues, doc]);

  const positions = useMemo(() => layoutGraph(doc), [doc]);
  const rfNodes: Node[] = measured.withSizes(
    doc.nodes.map((n) => ({
      id: n.id,
      position: n.position ?? positions.get(n.id) ?? { x: 0, y: 0 },
      data: { label: `${n.type}: ${n.name}${n.id === doc.entry ? " ▶" : ""}` },
      className: `editor-node type-${n.type}${issuesByTarget.nodes.has(n.id) ? " has-issue" : ""}`,
      selected: selected?.node === n.id,
      ariaLabel: `node ${n.id}`,
    })),
  );
  const rfEdges: Edge[] = doc.edges.map((e, i) => ({
    id: `e${i}`,
    source: e.from,
    target: e.to,
    label: e.when,
    className: issuesByTarget.edges.has(i) ? "has-issue" : "",
    selected: selected?.edge === i,
  }));

  const add = (type: DocNode["type"], position?: { x: number; y: number }) => {
    const next = addNode(doc, type, position);
    change(next);
    setSelected({ node: next.nodes.at(-1)?.id });
  };

  const save = async () => {
    setMessage(null);
    const saved = await saveWorkflow(name, doc);
    if (saved.id) setDirty(false);
    setMessage(saved.message);
    return saved.id;
  };

  const selectedNode = selected?.node ? doc.nodes.find((n) => n.id === selected.node) : undefined;
  const selectedEdge = selected?.edge !== undefined ? doc.edges[selected.edge] : undefined;

  return (
    <div className="editor">
      <div className="toolbar" role="toolbar" aria-label="Editor">
        <label className="sr-only" htmlFor="wf-name">
          Workflow name
        </label>
        <input
          id="wf-name"
          className="title-input"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setDirty(true);
          }}
        />
        <fieldset className="palette">
          <legend className="sr-only">Add a node</legend>
          {(["llm", "tool", "router"] as const).map((t) => (
            <button
              key={t}
              type="button"
              draggable
              onDragStart={(e) => e.dataTransfer.setData("application/flowtrace-node", t)}
              onClick={() => add(t)}
            >
              + {t}
            </button>
          ))}
        </fieldset>
        <button
          type="button"
          onClick={() => {
            change(autoLayout(doc));
            // Show the whole new layout once React Flow has the moved nodes.
            requestAnimationFrame(() => flow.fitView());
          }}
        >
          Auto-layout
        </button>
        <span role="tablist" className="tabs">
          <button type="button" role="tab" aria-selected={tab === "graph"} onClick={() => setTab("graph")}>
            Graph
          </button>
          <button type="button" role="tab" aria-selected={tab === "json"} onClick={() => setTab("json")}>
            JSON
          </button>
        </span>
        <span className="spacer" />
        {dirty && <span className="muted">Unsaved changes</span>}
        <button type="button" onClick={save} disabled={!dirty && Boolean(savedId)}>
          Save
        </button>
        <button type="button" className="primary" onClick={() => setRunDialog(true)} disabled={doc.nodes.length === 0}>
          Run…
        </button>
      </div>
      {message && (
        <p className={message === "Saved." ? "notice" : "error"} role="status">
          {message}
        </p>
      )}
      <div className="editor-body">
        {tab === "graph" ? (
          // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for palette drags; keyboard users add nodes with the toolbar buttons
          <div
            className="canvas"
            ref={wrapper}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              const type = e.dataTransfer.getData("application/flowtrace-node") as DocNode["type"];
              if (!type) return;
              add(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
            }}
          >
            {doc.nodes.length === 0 && (
              <p className="canvas-empty muted">
                Empty workflow: add an llm, tool or router node from the toolbar (click or drag).
              </p>
            )}
            <ReactFlow
              nodes={rfNodes}
              edges={rfEdges}
              fitView
              deleteKeyCode={["Delete", "Backspace"]}
              onNodeClick={(_e, n) => setSelected({ node: n.id })}
              onEdgeClick={(_e, ed) => setSelected({ edge: Number(ed.id.slice(1)) })}
              onPaneClick={() => setSelected(null)}
              onConnect={(c: Connection) => {
                addEdge(c, rfEdges);
                if (c.source && c.target) change(connect(doc, c.source, c.target));
              }}
              onNodesChange={(changes) => {
                measured.record(changes);
                const next = applyCanvasNodeChanges(doc, changes);
                if (next !== doc) change(next);
              }}
              onEdgesChange={(changes) => {
                const next = applyCanvasEdgeChanges(doc, changes);
                if (next !== doc) change(next);
              }}
            >
              <Background />
              <MiniMap pannable zoomable />
              <Controls />
            </ReactFlow>
          </div>
        ) : (
          <JsonTab doc={doc} onChange={change} />
        )}
        <div className="side">
          {selectedNode ? (
            <NodePanel
              node={selectedNode}
              isEntry={selectedNode.id === doc.entry}
              catalog={catalog}
              suggestions={templateSuggestions(doc, selectedNode.id)}
              issues={issuesByTarget.nodes.get(selectedNode.id) ?? []}
              onChange={(n) => change({ ...doc, nodes: doc.nodes.map((x) => (x.id === selectedNode.id ? n : x)) })}
              onDelete={() => {
                change(removeNode(doc, selectedNode.id));
                setSelected(null);
              }}
              onMakeEntry={() => change({ ...doc, entry: selectedNode.id })}
            />
          ) : selectedEdge && selected?.edge !== undefined ? (
            <EdgePanel
              edge={selectedEdge}
              index={selected.edge}
              issues={issuesByTarget.edges.get(selected.edge) ?? []}
              onChange={(e) => change({ ...doc, edges: doc.edges.map((x, i) => (i === selected.edge ? e : x)) })}
              onDelete={() => {
                change({ ...doc, edges: doc.edges.filter((_, i) => i !== selected.edge) });
                setSelected(null);
              }}
            />
          ) : (
            <p className="muted panel">Select a node or an edge to configure it.</p>
          )}
          <ValidationList doc={doc} issues={issues} onSelect={(path) => setSelected(issueTarget(doc, path))} />
        </div>
      </div>
      {runDialog && (
        <RunDialog
          names={inputNames(doc)}
          onCancel={() => setRunDialog(false)}
          onRun={async (inputVars) => {
            const id = dirty || !savedId ? await save() : savedId;
            if (!id) {
              setRunDialog(false);
              return;
            }
            const r = await startRun({ workflowId: id, inputVars });
            const out = r.data?.startRun;
            if (out?.__typename === "Run") navigate(`/runs/${out.id}`);
            else setMessage(out && "message" in out ? out.message : (r.error?.message ?? "Could not start the run"));
            setRunDialog(false);
          }}
        />
      )}
    </div>
  );
}
