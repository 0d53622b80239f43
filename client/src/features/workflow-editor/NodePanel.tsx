/** Config panel for the selected node (or edge): forms per node type, with template completion. */
import type { DocEdge, DocNode } from "./graph.ts";
import { type Catalog, Field, type KindFieldsProps } from "./kinds/fields.tsx";
import { NODE_KINDS } from "./kinds/index.ts";

export type { Catalog };

function InputsEditor(props: {
  inputs: Record<string, unknown>;
  suggestions: string[];
  onChange: (inputs: Record<string, unknown>) => void;
}) {
  const entries = Object.entries(props.inputs);
  return (
    <fieldset className="inputs-editor">
      <legend>Inputs</legend>
      {entries.length === 0 && <p className="muted">No inputs. Add one to bind an upstream output.</p>}
      {entries.map(([key, value], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are keyed by position so renaming an input keeps focus
        <div className="input-row" key={i}>
          <input
            aria-label={`Input ${i + 1} name`}
            value={key}
            onChange={(e) => {
              const next = entries.map(([k, v], j) => (j === i ? [e.target.value, v] : [k, v]));
              props.onChange(Object.fromEntries(next));
            }}
          />
          <input
            aria-label={`Input ${key} value`}
            list="template-suggestions"
            value={typeof value === "string" ? value : JSON.stringify(value)}
            onChange={(e) => props.onChange({ ...props.inputs, [key]: e.target.value })}
          />
          <button
            type="button"
            aria-label={`Remove input ${key}`}
            onClick={() => props.onChange(Object.fromEntries(entries.filter((_, j) => j !== i)))}
          >
            ✕
          </button>
        </div>
      ))}
      <datalist id="template-suggestions">
        {props.suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <button
        type="button"
        onClick={() => {
          let name = "text";
          for (let i = 2; name in props.inputs; i++) name = `text${i}`;
          props.onChange({ ...props.inputs, [name]: props.suggestions[0] ?? "" });
        }}
      >
        + Add input
      </button>
    </fieldset>
  );
}

function PanelTitle(props: { node: DocNode; isEntry: boolean; onMakeEntry: () => void }) {
  return (
    <div className="pane-title">
      <h2>
        {props.node.type} <code>{props.node.id}</code>
      </h2>
      {props.isEntry ? (
        <span className="chip">entry</span>
      ) : (
        <button type="button" className="link" onClick={props.onMakeEntry}>
          Make entry
        </button>
      )}
    </div>
  );
}

function NodeIssues({ issues }: { issues: string[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="issues" aria-label="Problems with this node">
      {issues.map((m) => (
        <li key={m} className="error">
          {m}
        </li>
      ))}
    </ul>
  );
}

export function NodePanel(props: {
  node: DocNode;
  isEntry: boolean;
  catalog: Catalog;
  suggestions: string[];
  issues: string[];
  onChange: (node: DocNode) => void;
  onDelete: () => void;
  onMakeEntry: () => void;
}) {
  const { node, catalog, suggestions } = props;
  const cfg = node.config;
  const fields: KindFieldsProps = {
    cfg,
    set: (patch) => props.onChange({ ...node, config: { ...cfg, ...patch } }),
    str: (k) => (typeof cfg[k] === "string" ? (cfg[k] as string) : ""),
    replace: (config) => props.onChange({ ...node, config }),
    catalog,
    suggestions,
  };
  const kind = NODE_KINDS[node.type];
  return (
    <aside className="panel" aria-label={`Configure ${node.id}`}>
      <PanelTitle node={node} isEntry={props.isEntry} onMakeEntry={props.onMakeEntry} />
      <NodeIssues issues={props.issues} />
      <Field label="Name">
        {(id) => (
          <input id={id} value={node.name} onChange={(e) => props.onChange({ ...node, name: e.target.value })} />
        )}
      </Field>
      <kind.Fields {...fields} />
      {kind.hasInputs && (
        <InputsEditor
          inputs={node.inputs ?? {}}
          suggestions={suggestions}
          onChange={(inputs) => props.onChange({ ...node, inputs })}
        />
      )}
      <button type="button" className="danger" onClick={props.onDelete}>
        Delete node
      </button>
    </aside>
  );
}

export function EdgePanel(props: {
  edge: DocEdge;
  index: number;
  issues: string[];
  onChange: (e: DocEdge) => void;
  onDelete: () => void;
}) {
  return (
    <aside className="panel" aria-label={`Configure edge ${props.edge.from} to ${props.edge.to}`}>
      <div className="pane-title">
        <h2>
          Edge <code>{props.edge.from}</code> → <code>{props.edge.to}</code>
        </h2>
      </div>
      {props.issues.length > 0 && (
        <ul className="issues" aria-label="Problems with this edge">
          {props.issues.map((m) => (
            <li key={m} className="error">
              {m}
            </li>
          ))}
        </ul>
      )}
      <Field label="When" hint="Optional condition in the source's scope; `branch` for routers, e.g. branch == 'deep'">
        {(id) => (
          <input
            id={id}
            value={props.edge.when ?? ""}
            onChange={(e) =>
              props.onChange({ ...props.edge, ...(e.target.value ? { when: e.target.value } : { when: undefined }) })
            }
          />
        )}
      </Field>
      <button type="button" className="danger" onClick={props.onDelete}>
        Delete edge
      </button>
    </aside>
  );
}
