/**
 * An experiment against another, item by item: pass before → after, score and cost/latency deltas,
 * changed outputs, and the regressions (passed before, fail now) first and highlighted.
 */
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useQuery } from "urql";
import { describeError } from "../../lib/errors.ts";
import { formatCents, formatMs } from "../../lib/format.ts";
import { contract, ExperimentComparisonQuery } from "./documents.ts";
import { brief, type Comparison, type ItemComparison, percent } from "./types.ts";

const ORDER: Record<ItemComparison["change"], number> = { regression: 0, fix: 1, new: 2, missing: 3, same: 4 };
const verdict = (v: boolean | null) => (v === null ? "—" : v ? "pass" : "fail");
const signed = (v: number | null, show: (n: number) => string) =>
  v === null ? "—" : `${v > 0 ? "+" : v < 0 ? "−" : ""}${show(Math.abs(v))}`;
/** Lower is better for money and time: a rise is "worse". */
const costClass = (v: number | null) => (v === null || v === 0 ? "" : v < 0 ? "delta-better" : "delta-worse");

export default function ExperimentComparePage(props: { id: string; against: string | null }) {
  const [{ data: answer, error, fetching: loading }] = useQuery({
    query: ExperimentComparisonQuery,
    variables: { id: props.id, against: props.against ?? "" },
    pause: !props.against,
  });
  const [changesOnly, setChangesOnly] = useState(false);
  if (!props.against) return <p className="error">Choose an experiment to compare with from the experiment's page.</p>;
  if (loading && !answer) return <p className="muted">Comparing…</p>;
  if (error && !answer) return <p className="error">Could not compare: {describeError(error)}</p>;
  if (!answer) return null;
  if (!answer.experiment?.comparison) return <p className="error">One of the two experiments does not exist.</p>;
  const data = contract<Comparison>(answer.experiment.comparison);
  const items = [...data.items]
    .filter((i) => !changesOnly || i.change !== "same")
    .sort((a, b) => ORDER[a.change] - ORDER[b.change] || a.position - b.position);
  return (
    <section>
      <h1>Experiment comparison</h1>
      <p>
        <Link to="/experiments/$experimentId" params={{ experimentId: data.against }}>
          before
        </Link>{" "}
        →{" "}
        <Link to="/experiments/$experimentId" params={{ experimentId: data.experiment_id }}>
          this experiment
        </Link>
      </p>
      <SummaryDeltas data={data} />
      <label className="checkbox">
        <input type="checkbox" checked={changesOnly} onChange={(e) => setChangesOnly(e.target.checked)} />
        Changes only
      </label>
      <CompareTable items={items} />
    </section>
  );
}

/** Pass rate, mean scores, cost, latency, regressions and fixes: before → now. */
function SummaryDeltas({ data }: { data: Comparison }) {
  const s = data.summary;
  const rate = s.pass_rate_delta;
  return (
    <section className="totals summary" aria-label="Summary deltas">
      <div>
        <span className="muted">Pass rate</span>
        <b className={rate === null || rate === 0 ? "" : rate > 0 ? "delta-better" : "delta-worse"}>
          {percent(s.pass_rate[0])} → {percent(s.pass_rate[1])}
        </b>
      </div>
      {Object.entries(s.score_deltas).map(([name, d]) => (
        <div key={name}>
          <span className="muted">{name} (mean)</span>
          <b>{signed(d, (n) => n.toFixed(3))}</b>
        </div>
      ))}
      <div>
        <span className="muted">Cost</span>
        <b className={costClass(Number(s.total_cost_delta_cents))}>
          {signed(Number(s.total_cost_delta_cents), (n) => formatCents(String(n)))}
        </b>
      </div>
      <div>
        <span className="muted">p50 / p95</span>
        <b>
          {signed(s.p50_latency_delta_ms, formatMs)} / {signed(s.p95_latency_delta_ms, formatMs)}
        </b>
      </div>
      <div>
        <span className="muted">Regressions / fixes</span>
        <b className={data.regressions.length ? "delta-worse" : ""}>
          {data.regressions.length} / {data.fixes.length}
        </b>
      </div>
    </section>
  );
}

function CompareTable(props: { items: ItemComparison[] }) {
  return (
    <table className="table results" aria-label="Item comparison">
      <thead>
        <tr>
          <th>#</th>
          <th>Inputs</th>
          <th>Change</th>
          <th>Pass</th>
          <th>Score Δ</th>
          <th>Output</th>
          <th>Cost Δ</th>
          <th>Latency Δ</th>
          <th>Runs</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((i) => (
          <CompareRow key={i.item_id} i={i} />
        ))}
      </tbody>
    </table>
  );
}

function CompareRow({ i }: { i: ItemComparison }) {
  const chip = i.change === "regression" ? "failed" : i.change === "fix" ? "succeeded" : "skipped";
  return (
    <tr className={`change-${i.change}`} data-change={i.change}>
      <td>{i.position}</td>
      <td>{brief(i.input_vars, 50)}</td>
      <td>
        <span className={`chip chip-${chip}`}>{i.change}</span>
      </td>
      <td>
        {verdict(i.passed[0])} → {verdict(i.passed[1])}
      </td>
      <td>
        {Object.entries(i.score_deltas)
          .map(([n, d]) => `${n} ${signed(d, (x) => x.toFixed(2))}`)
          .join(", ")}
      </td>
      <td title={i.output_changed ? `before: ${brief(i.output[0], 400)}\nnow: ${brief(i.output[1], 400)}` : undefined}>
        {i.output_changed ? brief(i.output[1], 60) : <span className="muted">unchanged</span>}
      </td>
      <td className={costClass(i.cost_delta_cents === null ? null : Number(i.cost_delta_cents))}>
        {i.cost_delta_cents === null ? "unknown" : signed(Number(i.cost_delta_cents), (n) => formatCents(String(n)))}
      </td>
      <td>{signed(i.latency_delta_ms, formatMs)}</td>
      <td>
        {i.run_ids[0] && (
          <Link to="/runs/$runId" params={{ runId: i.run_ids[0] }}>
            before
          </Link>
        )}{" "}
        {i.run_ids[1] && (
          <Link to="/runs/$runId" params={{ runId: i.run_ids[1] }}>
            now
          </Link>
        )}
      </td>
    </tr>
  );
}
