/** A run against another, step by step: what changed in status, output, config, branch and figures. */
import { Link } from "@tanstack/react-router";
import { useQuery } from "urql";
import { describeError } from "../../lib/errors.ts";
import { formatCents, formatMs, formatTokens } from "../../lib/format.ts";
import { Delta } from "./Delta.tsx";
import { RunDiffQuery } from "./documents.ts";
import { StepDiffRow, StepDiffSections } from "./StepDiffViews.tsx";
import type { RunDiff } from "./types.ts";

export default function RunDiffPage(props: { id: string; against: string | null }) {
  const [{ data, fetching, error }] = useQuery({
    query: RunDiffQuery,
    variables: { id: props.id, against: props.against ?? "" },
    pause: !props.against,
  });
  if (!props.against) return <p className="error">Say which run to compare with: add ?against=&lt;run id&gt;.</p>;
  if (fetching && !data) return <p className="muted">Comparing runs…</p>;
  if (error) return <p className="error">Could not compare the runs: {describeError(error)}</p>;
  if (!data?.run) return <p className="error">Run {props.id} does not exist.</p>;
  const diff = data.run.diff as RunDiff | null;
  if (!diff) return <p className="error">Run {props.against} does not exist.</p>;
  return (
    <div className="run-diff" data-testid="run-diff">
      <h1>
        Run{" "}
        <Link to="/runs/$runId" params={{ runId: props.id }}>
          <code>{props.id.slice(0, 8)}</code>
        </Link>{" "}
        against{" "}
        <Link to="/runs/$runId" params={{ runId: props.against }}>
          <code>{props.against.slice(0, 8)}</code>
        </Link>
      </h1>
      <DiffTotals diff={diff} />
      <table className="table" aria-label="Steps compared">
        <thead>
          <tr>
            <th>Node</th>
            <th>Status</th>
            <th>Tokens</th>
            <th>Cost</th>
            <th>Latency</th>
            <th>Changed</th>
          </tr>
        </thead>
        <tbody>
          {diff.steps.map((s) => (
            <StepDiffRow key={s.nodeId} step={s} />
          ))}
        </tbody>
      </table>
      <StepDiffSections steps={diff.steps} />
    </div>
  );
}

function DiffTotals({ diff }: { diff: RunDiff }) {
  const t = diff.totals;
  return (
    <dl className="totals" data-testid="diff-totals">
      <dt>Status</dt>
      <dd>{t.status[0] === t.status[1] ? t.status[1] : `${t.status[0]} → ${t.status[1]}`}</dd>
      <dt>Tokens</dt>
      <dd>
        <Delta pair={t.tokens} show={(v) => formatTokens(v)} />
      </dd>
      <dt>Cost</dt>
      <dd>
        <Delta pair={t.costCents} show={(v) => formatCents(v)} />
      </dd>
      <dt>Latency</dt>
      <dd>
        <Delta pair={t.latencyMs} show={(v) => formatMs(v)} />
      </dd>
    </dl>
  );
}
