/** Workflows list: create, rename, duplicate, delete (confirmed), import/export JSON. */
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import {
  CreateWorkflowMutation,
  DeleteWorkflowMutation,
  UpdateWorkflowMutation,
  WorkflowsQuery,
} from "../app/documents.ts";
import { StatusChip } from "../components/StatusChip.tsx";
import { formatTotalCost } from "../lib/format.ts";
import { Link, navigate } from "../lib/router.tsx";

export default function WorkflowsPage() {
  const [search, setSearch] = useState("");
  const [{ data, fetching, error }, refetch] = useQuery({
    query: WorkflowsQuery,
    variables: { search: search || null },
  });
  const [, create] = useMutation(CreateWorkflowMutation);
  const [, update] = useMutation(UpdateWorkflowMutation);
  const [, remove] = useMutation(DeleteWorkflowMutation);
  const [message, setMessage] = useState<string | null>(null);
  const items = data?.workflows.edges.map((e) => e.node) ?? [];

  const importFile = async (file: File) => {
    try {
      const graph = JSON.parse(await file.text());
      const r = await create({ input: { name: file.name.replace(/\.json$/i, ""), graph } });
      const out = r.data?.createWorkflow;
      if (out?.__typename === "ValidationError")
        setMessage(`Import failed: ${out.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
      else if (out?.__typename === "Workflow") navigate(`/workflows/${out.id}`);
    } catch (e) {
      setMessage(`Import failed: ${(e as Error).message}`);
    }
  };

  return (
    <div className="list-page">
      <div className="toolbar">
        <h1>Workflows</h1>
        <label className="sr-only" htmlFor="search">
          Search workflows
        </label>
        <input id="search" placeholder="Search…" value={search} onChange={(e) => setSearch(e.target.value)} />
        <span className="spacer" />
        <label className="button">
          Import JSON
          <input
            type="file"
            accept="application/json,.json"
            className="sr-only"
            onChange={(e) => e.target.files?.[0] && importFile(e.target.files[0])}
          />
        </label>
        <button type="button" className="primary" onClick={() => navigate("/workflows/new")}>
          New workflow
        </button>
      </div>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      {error ? (
        <p className="error">Could not load workflows: {error.message}</p>
      ) : fetching && !data ? (
        <p className="muted">Loading workflows…</p>
      ) : items.length === 0 ? (
        <div className="empty card">
          <p>{search ? "No workflow matches your search." : "No workflows yet."}</p>
          <button type="button" className="primary" onClick={() => navigate("/workflows/new")}>
            Create your first workflow
          </button>
        </div>
      ) : (
        <table className="table" aria-label="Workflows">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Nodes</th>
              <th>Last run</th>
              <th>Cost</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id}>
                <td>
                  <Link to={`/workflows/${w.id}`}>{w.name}</Link>
                </td>
                <td className="muted">{w.description}</td>
                <td>{w.nodeCount}</td>
                <td>
                  {w.lastRun ? (
                    <Link to={`/runs/${w.lastRun.id}`}>
                      <StatusChip status={w.lastRun.status} />
                    </Link>
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
                <td>
                  {w.lastRun
                    ? formatTotalCost(w.lastRun.totalCostCents, w.lastRun.costComplete, w.lastRun.unpricedSteps)
                    : "—"}
                </td>
                <td className="actions">
                  <Link to={`/workflows/${w.id}/runs`}>Runs</Link>
                  <button
                    type="button"
                    onClick={async () => {
                      const name = prompt("New name", w.name);
                      if (name?.trim()) {
                        await update({ id: w.id, input: { name: name.trim() } });
                        refetch({ requestPolicy: "network-only" });
                      }
                    }}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    onClick={async () => {
                      await create({
                        input: { name: `${w.name} (copy)`, description: w.description, graph: w.graphJson },
                      });
                      refetch({ requestPolicy: "network-only" });
                    }}
                  >
                    Duplicate
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      const blob = new Blob([`${JSON.stringify(w.graphJson, null, 2)}\n`], {
                        type: "application/json",
                      });
                      const a = document.createElement("a");
                      a.href = URL.createObjectURL(blob);
                      a.download = `${w.name.replace(/[^\w.-]+/g, "_")}.json`;
                      a.click();
                      URL.revokeObjectURL(a.href);
                    }}
                  >
                    Export
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={async () => {
                      if (!confirm(`Delete “${w.name}” and all its runs? This cannot be undone.`)) return;
                      await remove({ id: w.id });
                      refetch({ requestPolicy: "network-only" });
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
