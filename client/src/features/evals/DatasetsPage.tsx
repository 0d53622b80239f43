/** Datasets: the list, and a form to create one (its items are imported on its page). */

import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Skeleton } from "../../components/Skeleton.tsx";
import { describeError } from "../../lib/errors.ts";
import { CreateDatasetMutation, contract, DatasetsQuery } from "./documents.ts";
import type { Dataset } from "./types.ts";

export default function DatasetsPage() {
  const [{ data: answer, error, fetching: loading }] = useQuery({ query: DatasetsQuery });
  const data = answer ? { items: contract<Dataset[]>(answer.datasets) } : null;
  return (
    <section>
      <h1>Datasets</h1>
      <p className="muted">
        Fixed inputs, with the answers you expect, to run a workflow over before you ship a change.
      </p>
      <CreateDataset />
      {loading && !data && <Skeleton label="Loading datasets" lines={6} />}
      {error && !data && <p className="error">Could not load the datasets: {describeError(error)}</p>}
      {data && data.items.length === 0 && (
        <p className="empty">No dataset yet: create one, then import a CSV or JSON Lines file.</p>
      )}
      {data && data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Items</th>
              <th>Description</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to="/datasets/$datasetId" params={{ datasetId: d.id }}>
                    {d.name}
                  </Link>
                </td>
                <td>{d.item_count}</td>
                <td className="muted">{d.description ?? ""}</td>
                <td>{new Date(d.updated_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CreateDataset() {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [, createDataset] = useMutation(CreateDatasetMutation);
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await createDataset({ name, description: description || null });
    const created = r.data?.createDataset;
    if (created?.__typename === "Dataset") {
      await navigate({ to: "/datasets/$datasetId", params: { datasetId: created.id } });
    } else if (created?.__typename === "InvalidRequestError") {
      setError(`${created.message}: ${created.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    } else {
      setError(describeError(r.error));
    }
  };
  return (
    <form className="toolbar" onSubmit={(e) => void create(e)}>
      <input
        aria-label="Dataset name"
        placeholder="New dataset name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
      />
      <input
        aria-label="Description"
        placeholder="Description (optional)"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <button type="submit" className="button" disabled={!name.trim()}>
        Create dataset
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}
