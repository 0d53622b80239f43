/** The form parts every node kind's panel is made of: a labelled field, template hints, the config accessors. */
import { useId } from "react";

export interface Catalog {
  providers: { name: string; simulated: boolean }[];
  models: { provider: string; model: string }[];
}

/** What a kind's fields get: the node's config with a patch setter and a string reader, and the editor's context. */
export interface KindFieldsProps {
  cfg: Record<string, unknown>;
  set: (patch: Record<string, unknown>) => void;
  str: (key: string) => string;
  /** Replace the whole config (a kind whose config is free-form, such as a tool's arguments). */
  replace: (config: Record<string, unknown>) => void;
  catalog: Catalog;
  /** Templates the node may insert (upstream outputs, run inputs). */
  suggestions: string[];
}

export function Field(props: { label: string; children: (id: string) => React.ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && <small className="muted">{props.hint}</small>}
    </div>
  );
}

export function TemplateHints(props: { suggestions: string[]; onInsert: (t: string) => void }) {
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

export const numberOrUndefined = (text: string) => (text === "" ? undefined : Number(text));

/** A whole number of the config (empty: unset, so the server's default applies). */
export function NumberField(props: {
  label: string;
  hint?: string;
  value: unknown;
  min: number;
  max?: number;
  onChange: (value: number | undefined) => void;
}) {
  return (
    <Field label={props.label} {...(props.hint ? { hint: props.hint } : {})}>
      {(id) => (
        <input
          id={id}
          type="number"
          min={props.min}
          max={props.max}
          value={typeof props.value === "number" ? String(props.value) : ""}
          onChange={(e) => props.onChange(numberOrUndefined(e.target.value))}
        />
      )}
    </Field>
  );
}
