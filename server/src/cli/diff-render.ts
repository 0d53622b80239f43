/** `flowtrace diff`: two runs step by step as a table, then the changed outputs line by line. */
import type { serializeRunDiff } from "../rest/serialize.ts";
import { formatUsd } from "./render.ts";

type Pair<T> = [T, T];
/** The REST answer of GET /api/runs/:id/diff (pairs are [run a, run b]). */
export type RunDiffBody = ReturnType<typeof serializeRunDiff> & { run_id: string; against: string };
type DiffStepBody = RunDiffBody["steps"][number];

const pair = <T>(p: Pair<T>, show: (v: T) => string) =>
  show(p[0]) === show(p[1]) ? show(p[0]) : `${show(p[0])} → ${show(p[1])}`;
const text = (v: unknown) => (v === null || v === undefined ? "—" : String(v));
const ms = (v: number | null) => (v === null ? "—" : `${v} ms`);

function stepRow(s: DiffStepBody): string[] {
  const changes = [
    s.presence !== "both" ? s.presence : "",
    s.output_changed ? "output" : "",
    s.config_changed ? `config (${s.config_diff.map((c) => c.path).join(", ")})` : "",
    s.reused[1] ? "reused" : "",
  ].filter(Boolean);
  return [
    s.node_id,
    pair(s.status, text),
    pair(s.tokens, text),
    pair(s.cost_cents, (c) => (c === null ? "—" : formatUsd(c))),
    pair(s.latency_ms, ms),
    changes.join(", ") || "same",
  ];
}

function printTable(rows: string[][], write: (line: string) => void): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const r of rows)
    write(
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    );
}

function printOutputDiff(s: DiffStepBody, write: (line: string) => void): void {
  const d = s.output_diff;
  if (!d) return;
  write(`\n${s.node_id} output:`);
  if (d.kind === "json") {
    for (const c of d.changes) write(`  ~ ${c.path || "(whole value)"}`);
    return;
  }
  for (const part of d.lines) {
    const mark = part.op === "added" ? "+" : part.op === "removed" ? "-" : " ";
    for (const line of part.text.replace(/\n$/, "").split("\n")) write(`  ${mark} ${line}`);
  }
}

export function printRunDiff(diff: RunDiffBody, write: (line: string) => void): void {
  write(`run ${diff.run_id} against ${diff.against}`);
  const t = diff.totals;
  printTable(
    [
      ["node", "status", "tokens", "cost", "latency", "changed"],
      ...diff.steps.map(stepRow),
      [
        "total",
        pair(t.status, text),
        pair(t.tokens, text),
        pair(t.cost_cents, (c) => formatUsd(c)),
        pair(t.latency_ms, (v) => ms(v)),
        "",
      ],
    ],
    write,
  );
  for (const s of diff.steps) printOutputDiff(s, write);
}
