/** One dataset: its items (paged), an import with a preview, and deleting it. */

import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Skeleton } from "../../components/Skeleton.tsx";
import { rest } from "../../lib/rest.ts";
import { ImportPanel } from "./ImportPanel.tsx";
import { brief, type Dataset, type DatasetItem } from "./types.ts";
import { useRest } from "./useRest.ts";

const PAGE = 50;

export default function DatasetPage(props: { id: string }) {
  const [offset, setOffset] = useState(0);
  const { data, error, loading, reload } = useRest<Dataset & { items: DatasetItem[]; next_offset: number | null }>(
    `/datasets/${props.id}?offset=${offset}&limit=${PAGE}`,
  );
  if (loading && !data) return <Skeleton label="Loading the dataset" lines={6} />;
  if (error && !data) return <p className="error">Could not load the dataset: {error.message}</p>;
  if (!data) return null;
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
  const remove = async () => {
    if (!window.confirm(`Delete the dataset ${props.name}? Experiments keep their copies of its items.`)) return;
    await rest("DELETE", `/datasets/${props.id}`);
    await navigate({ to: "/datasets" });
  };
  return (
    <button type="button" className="button" onClick={() => void remove()}>
      Delete
    </button>
  );
}
