/** Start an experiment: a version of the workflow, a dataset, scorers and a concurrency. */
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { describeError } from "../../lib/errors.ts";
import { RestError, rest } from "../../lib/rest.ts";
import { SCORER_TYPES, type ScorerRow, type ScorerType, scorerOf } from "./scorer-form.ts";
import type { Dataset } from "./types.ts";
import { useRest } from "./useRest.ts";

export function NewExperiment(props: { workflowId: string }) {
  const navigate = useNavigate();
  const datasets = useRest<{ items: Dataset[] }>("/datasets");
  const [version, setVersion] = useState<string>("");
  const [datasetId, setDatasetId] = useState("");
  const [concurrency, setConcurrency] = useState(4);
  const [rows, setRows] = useState<ScorerRow[]>([{ type: "contains", arg: "" }]);
  const [error, setError] = useState<string | null>(null);

  const start = async (e: React.FormEvent) => {
    e.preventDefault();
    const scorers = rows.map(scorerOf);
    const bad = scorers.find((s): s is string => typeof s === "string");
    if (bad) return setError(bad);
    try {
      const { experimentId } = await rest<{ experimentId: string }>(
        "POST",
        `/workflows/${props.workflowId}/experiments`,
        {
          dataset_id: datasetId,
          scorers,
          concurrency,
          ...(version ? { version: Number(version) } : {}),
        },
      );
      await navigate({ to: "/experiments/$experimentId", params: { experimentId } });
    } catch (err) {
      const issues = err instanceof RestError ? err.issues.map((i) => `${i.path}: ${i.message}`).join("; ") : "";
      setError(`${describeError(err)}${issues ? ` — ${issues}` : ""}`);
    }
  };

  return (
    <form className="card new-experiment" onSubmit={(e) => void start(e)} aria-label="New experiment">
      <h2>New experiment</h2>
      <div className="row">
        <VersionField workflowId={props.workflowId} value={version} onChange={setVersion} />
        <DatasetField datasets={datasets.data?.items ?? []} value={datasetId} onChange={setDatasetId} />
        <label className="field">
          Concurrency
          <input
            type="number"
            min={1}
            max={50}
            value={concurrency}
            onChange={(e) => setConcurrency(Number(e.target.value))}
          />
        </label>
      </div>
      <ScorerRows rows={rows} onChange={setRows} />
      {datasets.data?.items.length === 0 && (
        <p className="note">No dataset yet: create one on the Datasets page first.</p>
      )}
      <button type="submit" className="button primary" disabled={!datasetId}>
        Start experiment
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

function VersionField(props: { workflowId: string; value: string; onChange: (v: string) => void }) {
  const versions = useRest<{ items: { version: number; message: string | null }[] }>(
    `/workflows/${props.workflowId}/versions`,
  );
  return (
    <label className="field">
      Version
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">current</option>
        {versions.data?.items.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
            {v.message ? ` — ${v.message}` : ""}
          </option>
        ))}
      </select>
    </label>
  );
}

function DatasetField(props: { datasets: Dataset[]; value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      Dataset
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} required>
        <option value="">choose…</option>
        {props.datasets.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({d.item_count} items)
          </option>
        ))}
      </select>
    </label>
  );
}

/** The scorer rows: a type and its one argument each (see scorer-form.ts). */
function ScorerRows(props: { rows: ScorerRow[]; onChange: (rows: ScorerRow[]) => void }) {
  const { rows, onChange: setRows } = props;
  const setRow = (i: number, row: Partial<ScorerRow>) => setRows(rows.map((r, n) => (n === i ? { ...r, ...row } : r)));
  return (
    <fieldset className="scorers">
      <legend>Scorers (an item passes when all pass)</legend>
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: scorer rows are edited in place, by position
        <div className="row" key={i}>
          <select
            aria-label={`Scorer ${i + 1}`}
            value={row.type}
            onChange={(e) => setRow(i, { type: e.target.value as ScorerType })}
          >
            {SCORER_TYPES.map((s) => (
              <option key={s.type} value={s.type}>
                {s.type}
              </option>
            ))}
          </select>
          <input
            aria-label={`Scorer ${i + 1} argument`}
            className="grow"
            placeholder={SCORER_TYPES.find((s) => s.type === row.type)?.arg}
            value={row.arg}
            onChange={(e) => setRow(i, { arg: e.target.value })}
          />
          <button
            type="button"
            className="button"
            disabled={rows.length === 1}
            onClick={() => setRows(rows.filter((_, n) => n !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button" onClick={() => setRows([...rows, { type: "contains", arg: "" }])}>
        Add scorer
      </button>
    </fieldset>
  );
}
