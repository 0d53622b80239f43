/** The editor's list of validation issues; each path selects the node or edge it points at. */
import type { ValidateWorkflowQuery } from "../../graphql/graphql.ts";
import type { WorkflowDoc } from "./graph.ts";

/** One issue as the server's validateWorkflow names it: a path and a sentence. */
export type Issue = ValidateWorkflowQuery["validateWorkflow"][number];

export function ValidationList(props: { doc: WorkflowDoc; issues: Issue[]; onSelect: (path: string) => void }) {
  return (
    <section className="issues-list" aria-label="Validation">
      <h2>Validation</h2>
      {props.doc.nodes.length === 0 ? (
        <p className="muted">Nothing to validate yet.</p>
      ) : props.issues.length === 0 ? (
        <p className="ok" data-testid="valid">
          ✓ The workflow is valid.
        </p>
      ) : (
        <ul data-testid="issues">
          {props.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <button type="button" className="link" onClick={() => props.onSelect(i.path)}>
                <code>{i.path || "(document)"}</code>
              </button>{" "}
              {i.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
