/** The project's audit log, newest first, a page at a time: who did what to what. */
import { useEffect, useState } from "react";
import { rest } from "../../lib/rest.ts";

interface Entry {
  id: string;
  at: string;
  actor: { type: string; id: string; name: string };
  action: string;
  target_type: string;
  target_id: string;
}

export function AuditSection(props: { projectId: string }) {
  const [items, setItems] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (cursor: string | null) =>
    rest<{ items: Entry[]; next_cursor: string | null }>(
      "GET",
      `/projects/${props.projectId}/audit-log?limit=50${cursor ? `&cursor=${cursor}` : ""}`,
    )
      .then((page) => {
        setItems((old) => (cursor ? [...old, ...page.items] : page.items));
        setNext(page.next_cursor);
      })
      .catch((e: Error) => setError(e.message));
  // biome-ignore lint/correctness/useExhaustiveDependencies: the first page of this project
  useEffect(() => {
    void load(null);
  }, [props.projectId]);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {error && <p className="error">{error}</p>}
      <table className="table" aria-label="Audit log">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>
                {e.actor.name} <span className="muted">({e.actor.type.replace("_", " ")})</span>
              </td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>
                {e.target_type} <code>{e.target_id.slice(0, 8)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !error && <p className="muted">Nothing recorded yet.</p>}
      {next && (
        <button type="button" onClick={() => load(next)}>
          Older entries
        </button>
      )}
    </section>
  );
}
