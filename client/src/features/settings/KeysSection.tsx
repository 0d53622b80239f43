/** Project API keys: created with a name and scopes, the key shown once; listed by prefix; revocable. */
import { API_SCOPES, type ApiKeyJson, type CreatedApiKeyJson } from "@flowtrace/contract/access";
import { type FormEvent, useState } from "react";
import { CopyButton } from "../../components/CopyButton.tsx";
import { rest } from "../../lib/rest.ts";
import { attempt, useRest } from "./useRest.ts";

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

export function KeysSection(props: { projectId: string }) {
  const base = `/projects/${props.projectId}/api-keys`;
  const keys = useRest<{ items: ApiKeyJson[] }>(base);
  const [created, setCreated] = useState<CreatedApiKeyJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = { name: String(form.get("name")), scopes: form.getAll("scopes").map(String) };
    setError(await attempt(async () => setCreated(await rest<CreatedApiKeyJson>("POST", base, body))));
    keys.reload();
  };
  const revoke = async (id: string) => {
    setError(await attempt(() => rest("DELETE", `${base}/${id}`)));
    keys.reload();
  };
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {keys.error && <p className="error">{keys.error}</p>}
      {created && (
        <p className="notice" role="status">
          New key <strong>{created.name}</strong>: <code className="secret">{created.key}</code>{" "}
          <CopyButton label="Copy the new API key" text={() => created.key} /> — copy it now: it is not shown again.
        </p>
      )}
      <KeysTable items={keys.data?.items ?? []} onRevoke={revoke} />
      {keys.data?.items.length === 0 && <p className="muted">No API keys yet.</p>}
      <KeyForm onSubmit={create} />
      {error && <p className="error">{error}</p>}
    </section>
  );
}

function KeysTable(props: { items: ApiKeyJson[]; onRevoke: (id: string) => void }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Key</th>
          <th>Scopes</th>
          <th>Created by</th>
          <th>Last used</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.items.map((k) => (
          <tr key={k.id} className={k.revoked_at ? "muted" : ""}>
            <td>{k.name}</td>
            <td>
              <code>{k.prefix}…</code>
            </td>
            <td>{k.scopes.join(", ")}</td>
            <td>{k.created_by}</td>
            <td>{when(k.last_used_at)}</td>
            <td>
              {k.revoked_at ? (
                "revoked"
              ) : (
                <button type="button" className="link" onClick={() => props.onRevoke(k.id)}>
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function KeyForm(props: { onSubmit: (e: FormEvent<HTMLFormElement>) => void }) {
  return (
    <form onSubmit={props.onSubmit} className="inline-form" aria-label="Create an API key">
      <label>
        Name <input name="name" required maxLength={200} />
      </label>
      <fieldset>
        <legend>Scopes</legend>
        {API_SCOPES.map((s) => (
          <label key={s}>
            <input type="checkbox" name="scopes" value={s} defaultChecked={s.endsWith(":read")} /> {s}
          </label>
        ))}
      </fieldset>
      <button type="submit">Create key</button>
    </form>
  );
}
