/** The monthly budget (threshold alert, hard stop) and the alert webhooks with their deliveries. */
import {
  ALERT_EVENTS,
  type AlertJson,
  type BudgetJson,
  type CreatedAlertJson,
  type DeliveryJson,
} from "@flowtrace/contract/spend";
import { type FormEvent, useState } from "react";
import { CopyButton } from "../../components/CopyButton.tsx";
import { formatCents } from "../../lib/format.ts";
import { rest } from "../../lib/rest.ts";
import { attempt, useRest } from "./useRest.ts";

export function BudgetSection(props: { projectId: string }) {
  const base = `/projects/${props.projectId}`;
  const budget = useRest<BudgetJson>(`${base}/budget`);
  const [error, setError] = useState<string | null>(null);
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const limit = String(form.get("limit") ?? "").trim();
    const body = {
      monthly_limit_cents: limit === "" ? null : limit,
      alert_at_percent: Number(form.get("percent")),
      hard_stop: form.get("hard_stop") === "on",
    };
    setError(await attempt(() => rest("PUT", `${base}/budget`, body)));
    budget.reload();
  };
  const b = budget.data;
  return (
    <section aria-labelledby="budget-title">
      <h2 id="budget-title">Budget</h2>
      {budget.error && <p className="error">{budget.error}</p>}
      {b && (
        <p>
          {b.month}: {b.cost_complete ? "" : "at least "}
          {formatCents(b.spent_cents)} spent
          {b.monthly_limit_cents ? ` of ${formatCents(b.monthly_limit_cents)}` : " (no budget set)"}
        </p>
      )}
      {b && (
        <form onSubmit={save} className="inline-form" aria-label="Budget">
          <label>
            Monthly limit (US cents, empty: none){" "}
            <input name="limit" defaultValue={b.monthly_limit_cents ?? ""} inputMode="decimal" />
          </label>
          <label>
            Alert at % <input name="percent" type="number" min={1} max={100} defaultValue={b.alert_at_percent} />
          </label>
          <label>
            <input name="hard_stop" type="checkbox" defaultChecked={b.hard_stop} /> Hard stop (refuse runs over the
            limit)
          </label>
          <button type="submit">Save budget</button>
        </form>
      )}
      {error && <p className="error">{error}</p>}
      <AlertsPanel base={base} />
    </section>
  );
}

function AlertsPanel(props: { base: string }) {
  const alerts = useRest<{ items: AlertJson[] }>(`${props.base}/alerts`);
  const deliveries = useRest<{ items: DeliveryJson[] }>(`${props.base}/alerts/deliveries`);
  const [created, setCreated] = useState<CreatedAlertJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = {
      url: String(form.get("url")),
      format: String(form.get("format")),
      events: form.getAll("events").map(String),
    };
    setError(await attempt(async () => setCreated(await rest<CreatedAlertJson>("POST", `${props.base}/alerts`, body))));
    alerts.reload();
  };
  const remove = async (id: string) => {
    setError(await attempt(() => rest("DELETE", `${props.base}/alerts/${id}`)));
    alerts.reload();
  };
  return (
    <>
      <h3>Alert webhooks</h3>
      <ul>
        {(alerts.data?.items ?? []).map((a) => (
          <li key={a.id}>
            <code>{a.url}</code> ({a.format}): {a.events.join(", ")}{" "}
            <button type="button" className="link" onClick={() => remove(a.id)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {alerts.data?.items.length === 0 && <p className="muted">No alert webhooks.</p>}
      {created && (
        <p className="notice" role="status">
          Signing secret (shown once): <code className="secret">{created.secret}</code>{" "}
          <CopyButton label="Copy the signing secret" text={() => created.secret} />
        </p>
      )}
      <AlertForm onSubmit={create} />
      {error && <p className="error">{error}</p>}
      <Deliveries items={deliveries.data?.items ?? []} />
    </>
  );
}

function Deliveries(props: { items: DeliveryJson[] }) {
  if (props.items.length === 0) return null;
  return (
    <table className="table" aria-label="Alert deliveries">
      <thead>
        <tr>
          <th>Event</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Last answer</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((d) => (
          <tr key={d.id}>
            <td>{d.event}</td>
            <td>{d.status}</td>
            <td>{d.attempts}</td>
            <td>{d.last_status_code ?? d.last_error ?? "—"}</td>
            <td>{new Date(d.created_at).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AlertForm(props: { onSubmit: (e: FormEvent<HTMLFormElement>) => void }) {
  return (
    <form onSubmit={props.onSubmit} className="inline-form" aria-label="Add an alert webhook">
      <label>
        URL <input name="url" type="url" required />
      </label>
      <label>
        Format{" "}
        <select name="format" defaultValue="json">
          <option value="json">JSON</option>
          <option value="slack">Slack</option>
        </select>
      </label>
      <fieldset>
        <legend>Events</legend>
        {ALERT_EVENTS.map((ev) => (
          <label key={ev}>
            <input type="checkbox" name="events" value={ev} defaultChecked={ev.startsWith("budget")} /> {ev}
          </label>
        ))}
      </fieldset>
      <button type="submit">Add webhook</button>
    </form>
  );
}
