/** One dataset: its items (paged), an import with a preview, and deleting it. */

import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Skeleton } from "../../components/Skeleton.tsx";
import { describeError } from "../../lib/errors.ts";
import { contract, DatasetQuery, DeleteDatasetMutation } from "./documents.ts";
import { ImportPanel } from "./ImportPanel.tsx";
import { brief, type Dataset, type DatasetItem } from "./types.ts";

const PAGE = 50;

type DatasetPageData = Dataset & { items: DatasetItem[]; next_offset: number | null };

export default function DatasetPage(props: { id: string }) {
  const [offset, setOffset] = useState(0);
  const [{ data: answer, error, fetching: loading }, refetch] = useQuery({
    query: DatasetQuery,
    variables: { id: props.id, offset, limit: PAGE },
  });
  const reload = () => refetch({ requestPolicy: "network-only" });
  if (loading && !answer) return <Skeleton label="Loading the dataset" lines={6} />;
  if (error && !answer) return <p className="error">Could not load the dataset: {describeError(error)}</p>;
  if (!answer) return null;
  if (!answer.dataset) return <p className="error">This dataset does not exist (or was deleted).</p>;
  const { items, ...dataset } = answer.dataset;
  const data = contract<DatasetPageData>({ ...dataset, items: items.items, next_offset: items.next_offset });
  return (
    <section>
      <div className="row">
        <h1>{data.name}</h1>
        <span className="muted">{data.item_count} items</span>
        <span className="spacer" />
        <DeleteDataset id={props.id} name={data.name} />
      </div>
      {data.description && <p className="muted">{data.description}</p>}
      <ImportPanel datasetId={props.id} onImported={reload} />
      {data.item_count === 0 ? (
        <p className="empty">
          No items yet: import a CSV or JSON Lines file above, or add a finished run from its page.
        </p>
      ) : (
        <ItemsTable items={data.items} />
      )}
      <div className="row">
        <button
          type="button"
          className="button"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - PAGE))}
        >
          Previous
        </button>
        <span className="muted">
          {data.item_count ? `${offset + 1}–${offset + data.items.length} of ${data.item_count}` : ""}
        </span>
        <button
          type="button"
          className="button"
          disabled={data.next_offset === null}
          onClick={() => setOffset(data.next_offset ?? offset)}
        >
          Next
        </button>
      </div>
    </section>
  );
}

function ItemsTable(props: { items: DatasetItem[] }) {
  return (
    <table className="table" aria-label="Dataset items">
      <thead>
        <tr>
          <th>#</th>
          <th>Inputs</th>
          <th>Expected</th>
          <th>Metadata</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((i) => (
          <tr key={i.id}>
            <td>{i.position}</td>
            <td>{brief(i.input_vars, 120)}</td>
            <td>{brief(i.expected, 120)}</td>
            <td className="muted">{i.metadata ? brief(i.metadata, 60) : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeleteDataset(props: { id: string; name: string }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [, deleteDataset] = useMutation(DeleteDatasetMutation);
  const remove = async () => {
    if (!window.confirm(`Delete the dataset ${props.name}? Experiments keep their copies of its items.`)) return;
    const r = await deleteDataset({ id: props.id });
    if (r.data?.deleteDataset.__typename === "Deleted") await navigate({ to: "/datasets" });
    else
      setError(
        r.data?.deleteDataset.__typename === "NotFoundError" ? r.data.deleteDataset.message : describeError(r.error),
      );
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void remove()}>
        Delete
      </button>
      {error && <span className="error">{error}</span>}
    </>
  );
}
