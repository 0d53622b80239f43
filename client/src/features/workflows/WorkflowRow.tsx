/** One row of the workflows list: its last run, cost and actions (rename, duplicate, export, delete). */
import { Link } from "@tanstack/react-router";
import { useMutation } from "urql";
import { StatusChip } from "../../components/StatusChip.tsx";
import type { WorkflowRow_WorkflowFragment } from "../../graphql/graphql.ts";
import { graphql } from "../../graphql/index.ts";
import { formatTotalCost } from "../../lib/format.ts";
import { UpdateWorkflowMutation } from "../workflow-editor/documents.ts";
import { CreateWorkflowMutation, DeleteWorkflowMutation } from "./documents.ts";

/** The fields this row reads; WorkflowsQuery spreads it. */
export const WorkflowRowFragment = graphql(`
  fragment WorkflowRow_workflow on Workflow {
    id
    name
    description
    nodeCount
    updatedAt
    graphJson
    lastRun {
      id
      status
      totalCostCents
      costComplete
      unpricedSteps
    }
  }
`);

/** Downloads the document as `<name>.json`. */
function exportJson(w: WorkflowRow_WorkflowFragment) {
  const blob = new Blob([`${JSON.stringify(w.graphJson, null, 2)}\n`], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${w.name.replace(/[^\w.-]+/g, "_")}.json`;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function WorkflowRow(props: { workflow: WorkflowRow_WorkflowFragment; onChanged: () => void }) {
  const w = props.workflow;
  return (
    <tr>
      <td>
        <Link to="/workflows/$workflowId" params={{ workflowId: w.id }}>
          {w.name}
        </Link>
      </td>
      <td className="muted">{w.description}</td>
      <td>{w.nodeCount}</td>
      <td>
        {w.lastRun ? (
          <Link to="/runs/$runId" params={{ runId: w.lastRun.id }}>
            <StatusChip status={w.lastRun.status} />
          </Link>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
      <td>
        {w.lastRun ? formatTotalCost(w.lastRun.totalCostCents, w.lastRun.costComplete, w.lastRun.unpricedSteps) : "—"}
      </td>
      <td className="actions">
        <Link to="/workflows/$workflowId/runs" params={{ workflowId: w.id }}>
          Runs
        </Link>
        <Link to="/workflows/$workflowId/metrics" params={{ workflowId: w.id }}>
          Metrics
        </Link>
        <Link to="/workflows/$workflowId/experiments" params={{ workflowId: w.id }}>
          Experiments
        </Link>
        <RowActions workflow={w} onChanged={props.onChanged} />
      </td>
    </tr>
  );
}

function RowActions(props: { workflow: WorkflowRow_WorkflowFragment; onChanged: () => void }) {
  const w = props.workflow;
  const [, create] = useMutation(CreateWorkflowMutation);
  const [, update] = useMutation(UpdateWorkflowMutation);
  const [, remove] = useMutation(DeleteWorkflowMutation);
  const rename = async () => {
    const name = prompt("New name", w.name);
    if (!name?.trim()) return;
    await update({ id: w.id, input: { name: name.trim() } });
    props.onChanged();
  };
  const duplicate = async () => {
    await create({ input: { name: `${w.name} (copy)`, description: w.description, graph: w.graphJson } });
    props.onChanged();
  };
  const destroy = async () => {
    if (!confirm(`Delete “${w.name}” and all its runs? This cannot be undone.`)) return;
    await remove({ id: w.id });
    props.onChanged();
  };
  return (
    <>
      <button type="button" onClick={rename}>
        Rename
      </button>
      <button type="button" onClick={duplicate}>
        Duplicate
      </button>
      <button type="button" onClick={() => exportJson(w)}>
        Export
      </button>
      <button type="button" className="danger" onClick={destroy}>
        Delete
      </button>
    </>
  );
}
