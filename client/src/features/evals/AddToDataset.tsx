/** "Add to dataset" on a finished run: its inputs, and its output as the expected value. */
import { useState } from "react";
import { describeError } from "../../lib/errors.ts";
import { rest } from "../../lib/rest.ts";
import type { Dataset } from "./types.ts";
import { useRest } from "./useRest.ts";

export function AddToDataset(props: { runId: string; onNotice: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Add to dataset
      </button>
    );
  }
  const done = (text: string) => {
    setOpen(false);
    props.onNotice(text);
  };
  return <DatasetPicker runId={props.runId} onDone={done} />;
}

function DatasetPicker(props: { runId: string; onDone: (text: string) => void }) {
  const datasets = useRest<{ items: Dataset[] }>("/datasets");
  const [datasetId, setDatasetId] = useState("");
  const add = async () => {
    const name = datasets.data?.items.find((d) => d.id === datasetId)?.name ?? "the dataset";
    try {
      const r = await rest<{ item_count: number }>("POST", `/datasets/${datasetId}/items/from-run`, {
        run_id: props.runId,
      });
      props.onDone(`Added this run to ${name} (now ${r.item_count} items).`);
    } catch (error) {
      props.onDone(`Could not add the run: ${describeError(error)}`);
    }
  };
  if (datasets.data?.items.length === 0)
    return <span className="muted">No dataset yet: create one on the Datasets page.</span>;
  return (
    <span className="row">
      <select aria-label="Dataset to add to" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
        <option value="">choose a dataset…</option>
        {datasets.data?.items.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
      <button type="button" className="button" disabled={!datasetId} onClick={() => void add()}>
        Add
      </button>
    </span>
  );
}
