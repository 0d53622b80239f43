/** The series the experiment charts draw, from its items. Pure. */
import type { ExperimentItem } from "./types.ts";

const BINS = 5;

/** Per scorer, how many items scored in each fifth of 0..1 (a 1 falls in the last). */
export function scoreHistogram(items: readonly ExperimentItem[]): { bin: string; [scorer: string]: number | string }[] {
  const rows = Array.from(
    { length: BINS },
    (_, i) =>
      ({ bin: `${(i / BINS).toFixed(1)}–${((i + 1) / BINS).toFixed(1)}` }) as {
        bin: string;
        [k: string]: number | string;
      },
  );
  for (const item of items) {
    for (const s of item.scores) {
      const row = rows[Math.min(BINS - 1, Math.floor(s.score * BINS))] as { [k: string]: number | string };
      row[s.scorer] = ((row[s.scorer] as number | undefined) ?? 0) + 1;
    }
  }
  return rows;
}

export function scorerNames(items: readonly ExperimentItem[]): string[] {
  return [...new Set(items.flatMap((i) => i.scores.map((s) => s.scorer)))];
}

/** Each item that ran: its cost in US dollars (null when unknown) and its latency. */
export function perItem(items: readonly ExperimentItem[]) {
  return items
    .filter((i) => i.run_id !== null)
    .map((i) => ({
      item: `#${i.position}`,
      usd: i.cost_cents === null || !i.cost_complete ? null : Number(i.cost_cents) / 100,
      latency: i.latency_ms,
      passed: i.passed,
    }));
}

/** Latencies in ten equal-width buckets, labelled by their upper bound. */
export function latencyHistogram(items: readonly ExperimentItem[]): { upTo: number; items: number }[] {
  const values = items.flatMap((i) => (i.latency_ms === null ? [] : [i.latency_ms]));
  if (values.length === 0) return [];
  const max = Math.max(...values);
  const width = Math.max(1, Math.ceil(max / 10));
  const buckets = Array.from({ length: 10 }, (_, i) => ({ upTo: (i + 1) * width, items: 0 }));
  for (const v of values) (buckets[Math.min(9, Math.floor(v / width))] as { items: number }).items++;
  return buckets;
}
