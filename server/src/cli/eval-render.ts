/** Terminal rendering of an experiment: a progress line while it runs, then its summary and failures. */
import type { ExperimentDetailJson, ExperimentItemJson } from "@flowtrace/contract/evals";
import { formatUsd } from "./render.ts";

const percent = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
const ms = (v: number | null) => (v === null ? "—" : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);

/** `[██████░░░░░░] 12/40 scored · 10 passed · 6 running` */
export function progressLine(e: ExperimentDetailJson, width = 24): string {
  const s = e.summary;
  const filled = s.items ? Math.round((s.scored / s.items) * width) : 0;
  const running = e.items.filter((i) => i.run_id && !i.scored).length;
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${s.scored}/${s.items} scored · ${s.passed} passed · ${running} running`;
}

const cost = (cents: string, complete: boolean) =>
  `${complete ? "" : "≥ "}${formatUsd(cents)}${complete ? "" : " (some price unknown)"}`;

function failureLine(item: ExperimentItemJson): string {
  const failed = item.scores.filter((s) => !s.pass);
  const why = failed.length ? failed.map((s) => `${s.scorer}: ${s.reason}`).join("; ") : (item.error ?? item.status);
  const inputs = JSON.stringify(item.input_vars);
  return `  #${item.position} ${inputs.length > 60 ? `${inputs.slice(0, 60)}…` : inputs} — ${why}`;
}

export function printExperiment(
  e: ExperimentDetailJson,
  options: { failUnder: number | null; server: string },
  write: (line: string) => void,
): void {
  const s = e.summary;
  write(`experiment ${e.id} (${e.name}): ${e.status}${e.error_summary ? ` — ${e.error_summary}` : ""}`);
  write(`  pass rate      ${percent(s.pass_rate)} (${s.passed}/${s.scored} scored of ${s.items})`);
  for (const [name, mean] of Object.entries(s.scores)) write(`  ${name.padEnd(14)} mean ${mean.toFixed(3)}`);
  write(
    `  cost           ${cost(s.total_cost_cents, s.cost_complete)} · ${s.total_tokens} tokens · ${s.cache_hits} cache hits`,
  );
  write(`  latency        p50 ${ms(s.p50_latency_ms)} · p95 ${ms(s.p95_latency_ms)}`);
  if (s.judge_tokens > 0)
    write(
      `  judge          ${cost(s.judge_cost_cents, s.judge_cost_complete)} · ${s.judge_tokens} tokens (not in the cost above)`,
    );
  if (s.failed_runs > 0) write(`  failed runs    ${s.failed_runs}`);
  const failures = e.items.filter((i) => i.scored && !i.passed);
  if (failures.length) {
    write(`failing items (${failures.length}):`);
    for (const item of failures.slice(0, 10)) write(failureLine(item));
    if (failures.length > 10) write(`  … and ${failures.length - 10} more: ${options.server}/api/experiments/${e.id}`);
  }
  if (options.failUnder !== null) {
    const ok = (s.pass_rate ?? 0) >= options.failUnder;
    write(
      `${ok ? "PASS" : "FAIL"}: pass rate ${percent(s.pass_rate)} ${ok ? "≥" : "<"} --fail-under ${percent(options.failUnder)}`,
    );
  }
}
