/** An experiment's summary from its items, and the item-by-item comparison of two experiments. Pure. */

import type {
  ExperimentComparison,
  ExperimentItemJson,
  ExperimentSummary,
  ItemComparison,
} from "@flowtrace/contract/evals";
import { canonicalJson } from "../canonical-json.ts";
import { Cents } from "../pricing/money.ts";

/** Nearest-rank percentile of the values (null for none). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

function meanScores(scored: readonly ExperimentItemJson[]): Record<string, number> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const item of scored) {
    for (const s of item.scores) {
      const acc = sums.get(s.scorer) ?? { total: 0, n: 0 };
      sums.set(s.scorer, { total: acc.total + s.score, n: acc.n + 1 });
    }
  }
  return Object.fromEntries([...sums].map(([name, { total, n }]) => [name, total / n]));
}

const sumCents = (values: (string | null)[]) => Cents.sum(values.map((v) => Cents.parse(v ?? "0"))).toString();
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function summarize(items: readonly ExperimentItemJson[]): ExperimentSummary {
  const scored = items.filter((i) => i.scored);
  const ran = items.filter((i) => i.run_id !== null);
  const latencies = ran.flatMap((i) => (i.latency_ms === null ? [] : [i.latency_ms]));
  const passed = scored.filter((i) => i.passed).length;
  return {
    items: items.length,
    scored: scored.length,
    passed,
    pass_rate: scored.length ? passed / scored.length : null,
    scores: meanScores(scored),
    total_cost_cents: sumCents(ran.map((i) => i.cost_cents)),
    cost_complete: ran.every((i) => i.cost_complete),
    total_tokens: sum(ran.map((i) => i.tokens)),
    p50_latency_ms: percentile(latencies, 50),
    p95_latency_ms: percentile(latencies, 95),
    cache_hits: sum(ran.map((i) => i.cache_hits)),
    failed_runs: ran.filter((i) => i.status === "failed").length,
    judge_tokens: sum(items.map((i) => i.judge_tokens)),
    judge_cost_cents: sumCents(items.map((i) => i.judge_cost_cents)),
    judge_cost_complete: items.every((i) => i.judge_cost_complete),
  };
}

const minus = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined ? null : a - b;

function changeOf(
  before: ExperimentItemJson | undefined,
  now: ExperimentItemJson | undefined,
): ItemComparison["change"] {
  if (!before) return "new";
  if (!now) return "missing";
  if (before.passed === true && now.passed === false) return "regression";
  if (before.passed === false && now.passed === true) return "fix";
  return "same";
}

function scoreDeltas(before: ExperimentItemJson | undefined, now: ExperimentItemJson | undefined) {
  const old = new Map((before?.scores ?? []).map((s) => [s.scorer, s.score]));
  return Object.fromEntries((now?.scores ?? []).map((s) => [s.scorer, minus(s.score, old.get(s.scorer))]));
}

function costDelta(before: ExperimentItemJson | undefined, now: ExperimentItemJson | undefined): string | null {
  if (!before?.cost_cents || !now?.cost_cents) return null;
  return Cents.parse(now.cost_cents).add(Cents.parse(before.cost_cents).negate()).toString();
}

function compareItem(before: ExperimentItemJson | undefined, now: ExperimentItemJson | undefined): ItemComparison {
  const any = (now ?? before) as ExperimentItemJson;
  return {
    item_id: any.item_id,
    position: any.position,
    input_vars: any.input_vars,
    passed: [before?.passed ?? null, now?.passed ?? null],
    change: changeOf(before, now),
    score_deltas: scoreDeltas(before, now),
    output_changed: canonicalJson(before?.output ?? null) !== canonicalJson(now?.output ?? null),
    output: [before?.output ?? null, now?.output ?? null],
    cost_delta_cents: costDelta(before, now),
    latency_delta_ms: minus(now?.latency_ms, before?.latency_ms),
    run_ids: [before?.run_id ?? null, now?.run_id ?? null],
  };
}

/** This experiment (`now`) against another (`before`), item by item (matched by dataset item id). */
export function compareExperiments(
  ids: { experiment: string; against: string },
  before: { items: readonly ExperimentItemJson[]; summary: ExperimentSummary },
  now: { items: readonly ExperimentItemJson[]; summary: ExperimentSummary },
): ExperimentComparison {
  const old = new Map(before.items.map((i) => [i.item_id, i]));
  const current = new Map(now.items.map((i) => [i.item_id, i]));
  const items = [...now.items.map((i) => compareItem(old.get(i.item_id), i))];
  for (const i of before.items) if (!current.has(i.item_id)) items.push(compareItem(i, undefined));
  const [b, n] = [before.summary, now.summary];
  return {
    experiment_id: ids.experiment,
    against: ids.against,
    items,
    summary: {
      pass_rate: [b.pass_rate, n.pass_rate],
      pass_rate_delta: minus(n.pass_rate, b.pass_rate),
      score_deltas: Object.fromEntries(Object.entries(n.scores).map(([k, v]) => [k, minus(v, b.scores[k])])),
      total_cost_delta_cents: Cents.parse(n.total_cost_cents).add(Cents.parse(b.total_cost_cents).negate()).toString(),
      p50_latency_delta_ms: minus(n.p50_latency_ms, b.p50_latency_ms),
      p95_latency_delta_ms: minus(n.p95_latency_ms, b.p95_latency_ms),
    },
    regressions: items.filter((i) => i.change === "regression").map((i) => i.item_id),
    fixes: items.filter((i) => i.change === "fix").map((i) => i.item_id),
  };
}
