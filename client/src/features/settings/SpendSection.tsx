/**
 * Spend by end user, workflow, model or tag over a period (default: this month), as a chart and
 * as exact figures. A group with unpriced steps shows its cost as a lower bound, never as complete.
 */
import { SPEND_GROUPS, type SpendGroup, type SpendGroupJson, type SpendJson } from "@flowtrace/contract/spend";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatTotalCost } from "../../lib/format.ts";
import { useRest } from "./useRest.ts";

const LABELS: Record<SpendGroup, string> = { end_user: "End user", workflow: "Workflow", model: "Model", tag: "Tag" };

export function SpendSection(props: { projectId: string }) {
  const [group, setGroup] = useState<SpendGroup>("end_user");
  const spend = useRest<SpendJson>(`/projects/${props.projectId}/spend?group_by=${group}`);
  const items = spend.data?.items ?? [];
  const rows = items.map((g) => ({ label: g.label, usd: Number(g.cost_cents) / 100 }));
  return (
    <section aria-labelledby="spend-title">
      <h2 id="spend-title">Spend</h2>
      <label>
        Group by{" "}
        <select value={group} onChange={(e) => setGroup(e.target.value as SpendGroup)}>
          {SPEND_GROUPS.map((g) => (
            <option key={g} value={g}>
              {LABELS[g]}
            </option>
          ))}
        </select>
      </label>
      {spend.error && <p className="error">{spend.error}</p>}
      {spend.data && (
        <p className="muted">
          Runs created {new Date(spend.data.from).toLocaleDateString()} – {new Date(spend.data.to).toLocaleString()}
        </p>
      )}
      {items.length === 0 ? (
        <p className="muted">No runs in this period.</p>
      ) : (
        <>
          <figure className="chart" aria-label={`Spend by ${LABELS[group].toLowerCase()}`}>
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={rows}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" />
                <YAxis tickFormatter={(v: number) => `$${v.toPrecision(2)}`} width={70} />
                <Tooltip formatter={(v) => (typeof v === "number" ? `$${v.toPrecision(3)}` : "—")} />
                <Bar dataKey="usd" fill="#2563eb" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <SpendTable items={items} title={LABELS[group]} />
        </>
      )}
    </section>
  );
}

function SpendTable(props: { items: SpendGroupJson[]; title: string }) {
  return (
    <table className="table" aria-label="Spend">
      <thead>
        <tr>
          <th>{props.title}</th>
          <th>Cost</th>
          <th>Runs</th>
          <th>Tokens</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((g) => (
          <tr key={g.key ?? "(none)"}>
            <td>{g.label}</td>
            <td>{formatTotalCost(g.cost_cents, g.cost_complete, g.unpriced_steps)}</td>
            <td>{g.runs}</td>
            <td>{g.tokens.toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
