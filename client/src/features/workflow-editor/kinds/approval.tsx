/** The `approval` kind in the editor: the approver's message, a deadline and what it decides. */
import { Field, type KindFieldsProps, TemplateHints } from "./fields.tsx";
import type { NodeKindUi } from "./types.ts";

function ApprovalFields({ cfg, str, set, suggestions }: KindFieldsProps) {
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

export const approvalKind: NodeKindUi = {
  defaultConfig: { message: "Approve this?", timeoutSeconds: 86_400, onTimeout: "reject" },
  promptOverrides: false,
  hasInputs: true,
  Fields: ApprovalFields,
};
