/** Start an experiment: a version of the workflow, a dataset, scorers and a concurrency. */
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../lib/errors.ts";
import { contract, ExperimentFormQuery, StartExperimentMutation } from "./documents.ts";
import { SCORER_TYPES, type ScorerRow, type ScorerType, scorerOf } from "./scorer-form.ts";
import type { Dataset } from "./types.ts";

type Versions = { version: number; message: string | null }[];

export function NewExperiment(props: { workflowId: string }) {
  const navigate = useNavigate();
  const [form] = useQuery({ query: ExperimentFormQuery, variables: { workflowId: props.workflowId } });
  const [, startExperiment] = useMutation(StartExperimentMutation);
  const datasets = form.data ? contract<Dataset[]>(form.data.datasets) : null;
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
    const r = await startExperiment({
      workflowId: props.workflowId,
      datasetId,
      scorers,
      concurrency,
      version: version ? Number(version) : null,
    });
    const started = r.data?.startExperiment;
    if (started?.__typename === "Experiment") {
      await navigate({ to: "/experiments/$experimentId", params: { experimentId: started.id } });
    } else if (started && "issues" in started) {
      setError(`${started.message} — ${started.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    } else {
      setError(started ? started.message : describeError(r.error));
    }
  };

  return (
    <form className="card new-experiment" onSubmit={(e) => void start(e)} aria-label="New experiment">
      <h2>New experiment</h2>
      <div className="row">
        <VersionField versions={form.data?.workflow?.versions ?? []} value={version} onChange={setVersion} />
        <DatasetField datasets={datasets ?? []} value={datasetId} onChange={setDatasetId} />
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
      {datasets?.length === 0 && <p className="note">No dataset yet: create one on the Datasets page first.</p>}
      <button type="submit" className="button primary" disabled={!datasetId}>
        Start experiment
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

function VersionField(props: { versions: Versions; value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      Version
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">current</option>
        {props.versions.map((v) => (
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
