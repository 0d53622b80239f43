/** Workflows list: create, rename, duplicate, delete (confirmed), import/export JSON. */

import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Skeleton } from "../../components/Skeleton.tsx";
import { describeError } from "../../lib/errors.ts";
import { CreateWorkflowMutation, WorkflowsQuery } from "./documents.ts";
import { WorkflowRow } from "./WorkflowRow.tsx";

/** Creates a workflow from a JSON file and opens it; resolves with an error message, if any. */
function useImportWorkflow() {
  const [, create] = useMutation(CreateWorkflowMutation);
  const navigate = useNavigate();
  return async (file: File): Promise<string | null> => {
    try {
      const graph = JSON.parse(await file.text());
      const r = await create({ input: { name: file.name.replace(/\.json$/i, ""), graph } });
      const out = r.data?.createWorkflow;
      if (out?.__typename === "ValidationError")
        return `Import failed: ${out.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`;
      if (out?.__typename === "Workflow")
        await navigate({ to: "/workflows/$workflowId", params: { workflowId: out.id } });
      return r.error ? `Import failed: ${describeError(r.error)}` : null;
    } catch (e) {
      return `Import failed: ${describeError(e)}`;
    }
  };
}

function Toolbar(props: { search: string; onSearch: (s: string) => void; onImport: (f: File) => void }) {
  const navigate = useNavigate();
  return (
    <div className="toolbar">
      <h1>Workflows</h1>
      <label className="sr-only" htmlFor="search">
        Search workflows
      </label>
      <input id="search" placeholder="Search…" value={props.search} onChange={(e) => props.onSearch(e.target.value)} />
      <span className="spacer" />
      <label className="button">
        Import JSON
        <input
          type="file"
          accept="application/json,.json"
          className="sr-only"
          onChange={(e) => e.target.files?.[0] && props.onImport(e.target.files[0])}
        />
      </label>
      <button
        type="button"
        className="primary"
        onClick={() => navigate({ to: "/workflows/$workflowId", params: { workflowId: "new" } })}
      >
        New workflow
      </button>
    </div>
  );
}

function EmptyList(props: { searching: boolean }) {
  const navigate = useNavigate();
  return (
    <div className="empty card">
      <p>{props.searching ? "No workflow matches your search." : "No workflows yet."}</p>
      <button
        type="button"
        className="primary"
        onClick={() => navigate({ to: "/workflows/$workflowId", params: { workflowId: "new" } })}
      >
        Create your first workflow
      </button>
    </div>
  );
}

export default function WorkflowsPage() {
  const [search, setSearch] = useState("");
  const [{ data, fetching, error }, refetch] = useQuery({
    query: WorkflowsQuery,
    variables: { search: search || null },
  });
  const importWorkflow = useImportWorkflow();
  const [message, setMessage] = useState<string | null>(null);
  const items = data?.workflows.edges.map((e) => e.node) ?? [];
  const reload = () => refetch({ requestPolicy: "network-only" });

  return (
    <div className="list-page">
      <Toolbar search={search} onSearch={setSearch} onImport={async (f) => setMessage(await importWorkflow(f))} />
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      {error ? (
        <p className="error">Could not load workflows: {describeError(error)}</p>
      ) : fetching && !data ? (
        <Skeleton label="Loading workflows" lines={6} />
      ) : items.length === 0 ? (
        <EmptyList searching={Boolean(search)} />
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
              <WorkflowRow key={w.id} workflow={w} onChanged={reload} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
