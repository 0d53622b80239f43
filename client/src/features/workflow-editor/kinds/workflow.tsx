/**
 * The `workflow` kind in the editor (a sub-workflow): which workflow of the project it runs, an
 * optional pinned version, and the child run's inputs as JSON (templates allowed).
 */
import { useState } from "react";
import { useQuery } from "urql";
import { CallableWorkflowsQuery } from "../documents.ts";
import { Field, type KindFieldsProps, NumberField } from "./fields.tsx";
import type { NodeKindUi } from "./types.ts";

function WorkflowPicker({ str, set }: KindFieldsProps) {
  const [{ data, fetching, error }] = useQuery({ query: CallableWorkflowsQuery });
  const workflows = data?.workflows.edges.map((e) => e.node) ?? [];
  return (
    <Field label="Workflow to run" hint="Its output becomes this step's; its cost counts in this run's.">
      {(id) =>
        error ? (
          <p className="error">Could not load the workflows: {error.message}</p>
        ) : (
          <select id={id} value={str("workflow")} onChange={(e) => set({ workflow: e.target.value })}>
            <option value="">{fetching ? "Loading workflows…" : "Pick a workflow"}</option>
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} (v{w.currentVersion})
              </option>
            ))}
          </select>
        )
      }
    </Field>
  );
}

function InputsField({ cfg, set }: KindFieldsProps) {
  const [text, setText] = useState(JSON.stringify(cfg.inputs ?? {}, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const apply = (value: string) => {
    setText(value);
    try {
      const parsed = JSON.parse(value) as unknown;
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("expected a JSON object");
      setProblem(null);
      set({ inputs: parsed });
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <Field label="Its inputs (JSON)" hint='Templates allowed: {"topic": "{{node.a.output}}"}'>
      {(id) => (
        <>
          <textarea id={id} rows={5} value={text} onChange={(e) => apply(e.target.value)} />
          {problem && <small className="error">{problem}</small>}
        </>
      )}
    </Field>
  );
}

function WorkflowFields(props: KindFieldsProps) {
  const { cfg, set } = props;
  return (
    <>
      <WorkflowPicker {...props} />
      <NumberField
        label="Version (optional)"
        hint="Empty: the latest when the run starts it (recorded on the child run)."
        value={cfg.version}
        min={1}
        onChange={(version) => set({ version })}
      />
      <InputsField {...props} />
    </>
  );
}

export const workflowKind: NodeKindUi = {
  defaultConfig: { workflow: "", inputs: {} },
  promptOverrides: false,
  hasInputs: false,
  Fields: WorkflowFields,
};
