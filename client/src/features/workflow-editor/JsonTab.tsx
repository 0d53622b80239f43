/**
 * The editor's JSON tab. Text that parses to something the canvas can hold (an object with a
 * `nodes` array) becomes the draft; anything else — `{}`, `[]`, a number — is not handed to the
 * canvas (it would have nothing to draw) but validated by the server as it stands, so the tab
 * lists what the document lacks instead of blanking the page.
 */
import { useEffect, useState } from "react";
import type { WorkflowDoc } from "./graph.ts";
import { useValidateWorkflow } from "./useLiveValidation.ts";
import type { Issue } from "./ValidationList.tsx";

/** Whether a parsed value has the shape the canvas draws (the server still validates the rest). */
export function isEditableDoc(value: unknown): value is WorkflowDoc {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as { nodes?: unknown; edges?: unknown };
  const isObject = (x: unknown): x is Record<string, unknown> => Boolean(x) && typeof x === "object";
  const nodesOk = Array.isArray(v.nodes) && v.nodes.every((n) => isObject(n) && typeof n.id === "string");
  const edgesOk =
    v.edges === undefined ||
    (Array.isArray(v.edges) &&
      v.edges.every((e) => isObject(e) && typeof e.from === "string" && typeof e.to === "string"));
  return nodesOk && edgesOk;
}

export function JsonTab(props: { doc: WorkflowDoc; onChange: (d: WorkflowDoc) => void }) {
  const [text, setText] = useState(() => JSON.stringify(props.doc, null, 2));
  const [syntaxError, setSyntaxError] = useState<string | null>(null);
  const [unusable, setUnusable] = useState<{ value: unknown } | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const validate = useValidateWorkflow();

  useEffect(() => {
    if (!unusable) return setIssues([]);
    let current = true;
    void validate(unusable.value).then((r) => {
      if (current) setIssues(r.data?.validateWorkflow ?? [{ path: "", message: r.error?.message ?? "invalid" }]);
    });
    return () => {
      current = false;
    };
  }, [unusable, validate]);

  const onText = (next: string) => {
    setText(next);
    let parsed: unknown;
    try {
      parsed = JSON.parse(next);
    } catch (err) {
      setSyntaxError((err as Error).message);
      return;
    }
    setSyntaxError(null);
    if (isEditableDoc(parsed)) {
      setUnusable(null);
      props.onChange({ ...parsed, edges: parsed.edges ?? [] });
    } else {
      setUnusable({ value: parsed });
    }
  };

  return (
    <div className="json-tab">
      <label htmlFor="json-doc">Workflow document (JSON)</label>
      <textarea id="json-doc" spellCheck={false} value={text} onChange={(e) => onText(e.target.value)} />
      {syntaxError && <p className="error">{syntaxError}</p>}
      {unusable && (
        <div className="error" role="alert" data-testid="json-issues">
          <p>This document cannot be drawn yet; the canvas keeps the last one that could.</p>
          <ul>
            {issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>
                <code>{i.path || "(document)"}</code>: {i.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
