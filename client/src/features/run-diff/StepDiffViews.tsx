/** A step's row in the run comparison, and the details of what changed (config paths, output lines). */

import { ScrollArea } from "../../components/ScrollArea.tsx";
import { formatCents, formatMs, formatTokens } from "../../lib/format.ts";
import { Delta } from "./Delta.tsx";
import type { StepDiff, ValueDiff } from "./types.ts";

const show = (v: unknown) => (v === undefined ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v));

function changes(s: StepDiff): string {
  const list = [
    s.presence === "added" ? "only in this run" : s.presence === "removed" ? "only in the other run" : "",
    s.configChanged ? "config" : "",
    s.outputChanged ? "output" : "",
    show(s.branch[0]) !== show(s.branch[1]) ? "branch" : "",
    s.reused[1] ? "reused" : "",
  ].filter(Boolean);
  return list.join(", ") || "same";
}

export function StepDiffRow({ step: s }: { step: StepDiff }) {
  return (
    <tr data-node={s.nodeId}>
      <td>
        <code>{s.nodeId}</code>
      </td>
      <td>{s.status[0] === s.status[1] ? s.status[1] : `${s.status[0] ?? "—"} → ${s.status[1] ?? "—"}`}</td>
      <td>
        <Delta pair={s.tokens} show={(v) => (v === null ? "—" : formatTokens(v))} />
      </td>
      <td>
        <Delta pair={s.costCents} show={(v) => (v === null ? "—" : formatCents(v))} />
      </td>
      <td>
        <Delta pair={s.latencyMs} show={(v) => formatMs(v)} />
      </td>
      <td data-testid={`changed-${s.nodeId}`}>{changes(s)}</td>
    </tr>
  );
}

function OutputDiff({ diff }: { diff: ValueDiff }) {
  if (diff.kind === "json") {
    return (
      <ul className="path-diff">
        {diff.changes.map((c) => (
          <li key={c.path}>
            <code>{c.path || "(whole value)"}</code>: {show(c.old)} → {show(c.new)}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <ScrollArea label="Output line diff" className="line-diff">
      {diff.lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a diff's parts are in a fixed order
        <span key={i} className={`diff-${l.op}`}>
          {l.text}
        </span>
      ))}
    </ScrollArea>
  );
}

export function StepDiffSections({ steps }: { steps: StepDiff[] }) {
  const changed = steps.filter((s) => s.configChanged || s.outputDiff || show(s.branch[0]) !== show(s.branch[1]));
  if (changed.length === 0) return <p className="muted">No step changed its config, output or branch.</p>;
  return (
    <>
      {changed.map((s) => (
        <section key={s.nodeId} className="card step-diff" aria-label={`Changes in ${s.nodeId}`}>
          <h2>
            <code>{s.nodeId}</code>
          </h2>
          {s.configDiff.length > 0 && (
            <ul className="path-diff" aria-label="Config changes">
              {s.configDiff.map((c) => (
                <li key={c.path}>
                  <code>config.{c.path}</code>: {show(c.old)} → {show(c.new)}
                </li>
              ))}
            </ul>
          )}
          {show(s.branch[0]) !== show(s.branch[1]) && (
            <p>
              Branch: {show(s.branch[0])} → {show(s.branch[1])}
            </p>
          )}
          {s.outputDiff && <OutputDiff diff={s.outputDiff} />}
        </section>
      ))}
    </>
  );
}
