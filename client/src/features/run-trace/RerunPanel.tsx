/**
 * "Re-run from here": re-run a finished run from the selected step, optionally with that node's
 * system prompt, prompt, model or temperature edited. What is upstream is reused, not paid again.
 */
import { useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { useMutation } from "urql";
import { describeError } from "../../lib/errors.ts";
import type { DocNode } from "../workflow-editor/graph.ts";
import { NODE_KINDS } from "../workflow-editor/kinds/index.ts";
import { RerunRunMutation } from "./documents.ts";

type Fields = { system: string; prompt: string; model: string; temperature: string };

const text = (v: unknown) => (typeof v === "string" ? v : "");

function initialFields(node: DocNode): Fields {
  const c = node.config as Record<string, unknown>;
  return {
    system: text(c.system),
    prompt: text(c.prompt),
    model: text(c.model),
    temperature: typeof c.temperature === "number" ? String(c.temperature) : "",
  };
}

/** Only what the user changed becomes an override (an untouched field keeps the recorded config). */
export function overridesFor(node: DocNode, fields: Fields): Record<string, unknown> {
  const before = initialFields(node);
  const out: Record<string, unknown> = {};
  for (const key of ["system", "prompt", "model"] as const) if (fields[key] !== before[key]) out[key] = fields[key];
  if (fields.temperature !== before.temperature && fields.temperature !== "")
    out.temperature = Number(fields.temperature);
  return out;
}

function LlmFields(props: { fields: Fields; onChange: (f: Fields) => void }) {
  const id = useId();
  const { fields, onChange } = props;
  const field = (key: keyof Fields, label: string, rows?: number) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {rows ? (
        <textarea
          id={`${id}-${key}`}
          rows={rows}
          value={fields[key]}
          onChange={(e) => onChange({ ...fields, [key]: e.target.value })}
        />
      ) : (
        <input
          id={`${id}-${key}`}
          value={fields[key]}
          onChange={(e) => onChange({ ...fields, [key]: e.target.value })}
        />
      )}
    </div>
  );
  return (
    <>
      {field("system", "System", 2)}
      {field("prompt", "Prompt", 4)}
      <div className="row">
        {field("model", "Model")}
        {field("temperature", "Temperature")}
      </div>
    </>
  );
}

function RerunButton(props: { finished: boolean; onOpen: () => void }) {
  return (
    <div className="rerun-panel">
      <button
        type="button"
        disabled={!props.finished}
        title={
          props.finished
            ? "Reuse what ran before this step; run this step and what follows again"
            : "The run must finish first"
        }
        onClick={props.onOpen}
      >
        Re-run from here
      </button>
    </div>
  );
}

export function RerunPanel(props: { runId: string; node: DocNode; finished: boolean }) {
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState(() => initialFields(props.node));
  const [message, setMessage] = useState<string | null>(null);
  const [{ fetching }, rerun] = useMutation(RerunRunMutation);
  const navigate = useNavigate();
  const submit = async () => {
    setMessage(null);
    const changed = overridesFor(props.node, fields);
    const overrides = Object.keys(changed).length ? { [props.node.id]: changed } : null;
    const r = await rerun({ runId: props.runId, fromNode: props.node.id, overrides });
    const out = r.data?.rerunRun;
    if (out?.__typename === "Run") return navigate({ to: "/runs/$runId", params: { runId: out.id } });
    const issues =
      out?.__typename === "ValidationError" ? out.issues.map((i) => `${i.path}: ${i.message}`).join("; ") : "";
    setMessage(
      issues ||
        (out && "message" in out ? out.message : r.error ? describeError(r.error) : "Could not start the re-run"),
    );
  };
  if (!open) return <RerunButton finished={props.finished} onOpen={() => setOpen(true)} />;
  return (
    <form
      className="rerun-panel"
      aria-label={`Re-run from ${props.node.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="muted">
        Steps before <code>{props.node.id}</code> are reused from this run (no calls, no cost); this step and the ones
        after it run again.
      </p>
      {NODE_KINDS[props.node.type].promptOverrides && <LlmFields fields={fields} onChange={setFields} />}
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      <button type="submit" disabled={fetching}>
        {fetching ? "Starting…" : "Re-run"}
      </button>{" "}
      <button type="button" className="link" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
