/**
 * Import a CSV or JSON Lines file into a dataset: the server previews it first (the rows it would add
 * and every bad row, named), then adds it all — or nothing, when a row is bad.
 * The one evals call that stays on REST: a file goes up as its raw body (up to 20 MiB on that
 * route), where a GraphQL request is JSON capped at 1 MiB. The page refetches its query afterwards.
 */
import { useState } from "react";
import { describeError } from "../../lib/errors.ts";
import { RestError, rest } from "../../lib/rest.ts";
import { brief, type ImportPreview } from "./types.ts";

const typeOf = (name: string) => (/\.csv$/i.test(name) ? "text/csv" : "application/x-ndjson");

type Chosen = { name: string; text: string };
const upload = (datasetId: string, file: Chosen, dryRun: boolean) =>
  rest<ImportPreview & { added: number }>("POST", `/datasets/${datasetId}/items${dryRun ? "?dry_run=1" : ""}`, {
    raw: file.text,
    type: typeOf(file.name),
  });

const failure = (error: unknown) => {
  const issues = error instanceof RestError ? error.issues.map((i) => `${i.path}: ${i.message}`).join("; ") : "";
  return `${describeError(error)}${issues ? ` — ${issues}` : ""}`;
};

/** The file chosen, the server's preview of it, and the import: its state and its two actions. */
function useImport(datasetId: string, onImported: () => void) {
  const [file, setFile] = useState<Chosen | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const choose = async (f: File | undefined) => {
    setMessage(null);
    setPreview(null);
    if (!f) return setFile(null);
    const chosen = { name: f.name, text: await f.text() };
    setFile(chosen);
    await upload(datasetId, chosen, true).then(setPreview, (error: unknown) => setMessage(failure(error)));
  };
  const importAll = async () => {
    if (!file) return;
    try {
      const { added } = await upload(datasetId, file, false);
      setMessage(`Imported ${added} items from ${file.name}.`);
      setFile(null);
      setPreview(null);
      onImported();
    } catch (error) {
      setMessage(failure(error));
    }
  };
  return { preview, message, choose, importAll };
}

export function ImportPanel(props: { datasetId: string; onImported: () => void }) {
  const { preview, message, choose, importAll } = useImport(props.datasetId, props.onImported);
  return (
    <div className="card import-panel">
      <h2>Import items</h2>
      <p className="muted">
        CSV: every column is an input variable except <code>expected</code> (and <code>metadata</code>, JSON). JSON
        Lines: one <code>{"{input_vars, expected?, metadata?}"}</code> or flat object per line.
      </p>
      <input
        type="file"
        accept=".csv,.jsonl,.ndjson"
        aria-label="Dataset file"
        onChange={(e) => void choose(e.target.files?.[0])}
      />
      {preview && <PreviewTable preview={preview} />}
      {preview && (
        <button
          type="button"
          className="button"
          disabled={preview.issues.length > 0 || preview.count === 0}
          onClick={() => void importAll()}
        >
          Import {preview.count} items
        </button>
      )}
      {message && <p className="note">{message}</p>}
    </div>
  );
}

function PreviewTable(props: { preview: ImportPreview }) {
  const { preview } = props;
  const columns = [...new Set(preview.items.flatMap((i) => Object.keys(i.input_vars)))];
  return (
    <div className="import-preview">
      {preview.issues.length > 0 && (
        <ul className="issues" aria-label="Problems in the file">
          {preview.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <b>{i.path}</b>: {i.message}
            </li>
          ))}
        </ul>
      )}
      <p className="muted">
        {preview.count} rows{preview.count > preview.items.length ? `, the first ${preview.items.length} shown` : ""}
      </p>
      <table className="table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
            <th>expected</th>
          </tr>
        </thead>
        <tbody>
          {preview.items.map((item, n) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity but their order
            <tr key={n}>
              {columns.map((c) => (
                <td key={c}>{brief(item.input_vars[c], 60)}</td>
              ))}
              <td>{brief(item.expected, 60)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
