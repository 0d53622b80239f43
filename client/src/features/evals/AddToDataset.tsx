/** "Add to dataset" on a finished run: its inputs, and its output as the expected value. */
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../lib/errors.ts";
import { AddRunToDatasetMutation, DatasetsQuery } from "./documents.ts";

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
  const [datasets] = useQuery({ query: DatasetsQuery });
  const [, addRun] = useMutation(AddRunToDatasetMutation);
  const [datasetId, setDatasetId] = useState("");
  const add = async () => {
    const r = await addRun({ datasetId, runId: props.runId });
    const added = r.data?.addRunToDataset;
    if (added?.__typename === "Dataset")
      props.onDone(`Added this run to ${added.name} (now ${added.item_count} items).`);
    else props.onDone(`Could not add the run: ${added ? added.message : describeError(r.error)}`);
  };
  if (datasets.data?.datasets.length === 0)
    return <span className="muted">No dataset yet: create one on the Datasets page.</span>;
  return (
    <span className="row">
      <select aria-label="Dataset to add to" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
        <option value="">choose a dataset…</option>
        {datasets.data?.datasets.map((d) => (
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
