/** Config panel for the selected node (or edge): forms per node type, with template completion. */
import { useId } from "react";
import { TOOL_CATALOG } from "../../generated/tool-catalog.ts";
import type { DocEdge, DocNode } from "./graph.ts";

export interface Catalog {
  providers: { name: string; simulated: boolean }[];
  models: { provider: string; model: string }[];
}

const TOOLS = TOOL_CATALOG.map((t) => t.name);

function Field(props: { label: string; children: (id: string) => React.ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && <small className="muted">{props.hint}</small>}
    </div>
  );
}

function TemplateHints(props: { suggestions: string[]; onInsert: (t: string) => void }) {
  if (props.suggestions.length === 0) return null;
  return (
    <fieldset className="template-hints">
      <legend className="sr-only">Insert a template</legend>
      {props.suggestions.map((s) => (
        <button type="button" key={s} className="hint" onClick={() => props.onInsert(s)}>
          {s}
        </button>
      ))}
    </fieldset>
  );
}

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

/** What a node type's fields read and write: the node's config, a patch setter, a string reader. */
interface ConfigFields {
  cfg: Record<string, unknown>;
  set: (patch: Record<string, unknown>) => void;
  str: (key: string) => string;
}

const numberOrUndefined = (text: string) => (text === "" ? undefined : Number(text));

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

function LlmModelFields({ str, set, catalog }: ConfigFields & { catalog: Catalog }) {
  const models = catalog.models.filter((m) => m.provider === str("provider"));
  return (
    <>
      <Field label="Provider">
        {(id) => (
          <select id={id} value={str("provider")} onChange={(e) => set({ provider: e.target.value })}>
            {catalog.providers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
                {p.simulated ? " (simulated)" : ""}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Model"
        hint={models.length ? "Priced models are suggested; others get an unknown cost." : undefined}
      >
        {(id) => (
          <>
            <input
              id={id}
              list={`${id}-models`}
              value={str("model")}
              onChange={(e) => set({ model: e.target.value })}
            />
            <datalist id={`${id}-models`}>
              {models.map((m) => (
                <option key={m.model} value={m.model} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </>
  );
}

function LlmPromptFields({ str, set, suggestions }: ConfigFields & { suggestions: string[] }) {
  return (
    <>
      <Field label="System">
        {(id) => <textarea id={id} rows={2} value={str("system")} onChange={(e) => set({ system: e.target.value })} />}
      </Field>
      <Field
        label="Prompt"
        hint="Optional; defaults to the node's inputs. Templates: {{node.<id>.output}}, {{input.<name>}}"
      >
        {(id) => (
          <textarea
            id={id}
            rows={3}
            value={str("prompt")}
            onChange={(e) => set({ prompt: e.target.value || undefined })}
          />
        )}
      </Field>
      <TemplateHints suggestions={suggestions} onInsert={(t) => set({ prompt: `${str("prompt")}${t}` })} />
    </>
  );
}

function LlmCallFields({ cfg, str, set, catalog }: ConfigFields & { catalog: Catalog }) {
  const simulated = catalog.providers.find((p) => p.name === str("provider"))?.simulated;
  return (
    <>
      <div className="row">
        <Field label="Temperature">
          {(id) => (
            <input
              id={id}
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={typeof cfg.temperature === "number" ? cfg.temperature : ""}
              onChange={(e) => set({ temperature: numberOrUndefined(e.target.value) })}
            />
          )}
        </Field>
        <Field label="Max tokens">
          {(id) => (
            <input
              id={id}
              type="number"
              min={1}
              value={typeof cfg.maxTokens === "number" ? cfg.maxTokens : ""}
              onChange={(e) => set({ maxTokens: numberOrUndefined(e.target.value) })}
            />
          )}
        </Field>
      </div>
      {simulated && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={typeof cfg.fault === "string"}
            onChange={(e) => set({ fault: e.target.checked ? "status=503;count=3" : undefined })}
          />
          Force a provider error (simulator only: the primary provider answers 503 three times)
        </label>
      )}
      <Field label="Cache">
        {(id) => (
          <select
            id={id}
            value={cfg.cache === false ? "off" : "on"}
            onChange={(e) => set({ cache: e.target.value === "off" ? false : undefined })}
          >
            <option value="on">on (exact match)</option>
            <option value="off">off</option>
          </select>
        )}
      </Field>
    </>
  );
}

function ToolFields({
  cfg,
  str,
  set,
  onConfig,
}: ConfigFields & { onConfig: (config: Record<string, unknown>) => void }) {
  const tool = str("tool") || "http.fetch";
  return (
    <>
      <Field label="Tool">
        {(id) => (
          <select id={id} value={tool} onChange={(e) => set({ tool: e.target.value })}>
            {TOOLS.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Arguments (JSON)" hint="e.g. {&quot;url&quot;: &quot;{{input.url}}&quot;}">
        {(id) => (
          <ArgsEditor
            id={id}
            value={Object.fromEntries(Object.entries(cfg).filter(([k]) => k !== "tool"))}
            onChange={(args) => onConfig({ tool, ...args })}
          />
        )}
      </Field>
    </>
  );
}

function RouterFields({ str, set }: ConfigFields) {
  return (
    <Field label="Rule" hint="An expression; its value becomes `branch`, e.g. len(text) > 2000 ? 'deep' : 'shallow'">
      {(id) => <input id={id} value={str("rule")} onChange={(e) => set({ rule: e.target.value })} />}
    </Field>
  );
}

function ApprovalFields({ cfg, str, set, suggestions }: ConfigFields & { suggestions: string[] }) {
  const timeout = typeof cfg.timeoutSeconds === "number" ? String(cfg.timeoutSeconds) : "";
  return (
    <>
      <Field
        label="Message"
        hint="Shown to the approver with the node's inputs. Templates: {{node.<id>.output}}, {{input.<name>}}"
      >
        {(id) => (
          <textarea id={id} rows={3} value={str("message")} onChange={(e) => set({ message: e.target.value })} />
        )}
      </Field>
      <TemplateHints suggestions={suggestions} onInsert={(t) => set({ message: `${str("message")}${t}` })} />
      <div className="row">
        <Field label="Timeout (s)" hint="Empty: waits until someone decides">
          {(id) => (
            <input
              id={id}
              type="number"
              min={1}
              value={timeout}
              onChange={(e) => set({ timeoutSeconds: e.target.value === "" ? undefined : Number(e.target.value) })}
            />
          )}
        </Field>
        <Field label="On timeout">
          {(id) => (
            <select id={id} value={str("onTimeout") || "fail"} onChange={(e) => set({ onTimeout: e.target.value })}>
              <option value="fail">fail the step</option>
              <option value="approve">approve</option>
              <option value="reject">reject</option>
            </select>
          )}
        </Field>
      </div>
      <small className="muted">Gate outbound edges with branch == 'approved' or branch == 'rejected'.</small>
    </>
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
  const fields: ConfigFields = {
    cfg,
    set: (patch) => props.onChange({ ...node, config: { ...cfg, ...patch } }),
    str: (k) => (typeof cfg[k] === "string" ? (cfg[k] as string) : ""),
  };
  return (
    <aside className="panel" aria-label={`Configure ${node.id}`}>
      <PanelTitle node={node} isEntry={props.isEntry} onMakeEntry={props.onMakeEntry} />
      <NodeIssues issues={props.issues} />
      <Field label="Name">
        {(id) => (
          <input id={id} value={node.name} onChange={(e) => props.onChange({ ...node, name: e.target.value })} />
        )}
      </Field>
      {node.type === "llm" && (
        <>
          <LlmModelFields {...fields} catalog={catalog} />
          <LlmPromptFields {...fields} suggestions={suggestions} />
          <LlmCallFields {...fields} catalog={catalog} />
        </>
      )}
      {node.type === "tool" && <ToolFields {...fields} onConfig={(config) => props.onChange({ ...node, config })} />}
      {node.type === "router" && <RouterFields {...fields} />}
      {node.type === "approval" && <ApprovalFields {...fields} suggestions={suggestions} />}
      {node.type !== "tool" && (
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

function ArgsEditor(props: {
  id: string;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
}) {
  return (
    <textarea
      id={props.id}
      rows={4}
      defaultValue={JSON.stringify(props.value, null, 2)}
      onBlur={(e) => {
        try {
          const parsed = JSON.parse(e.target.value);
          if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) props.onChange(parsed);
          e.target.setCustomValidity("");
        } catch {
          e.target.setCustomValidity("not valid JSON");
          e.target.reportValidity();
        }
      }}
    />
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
