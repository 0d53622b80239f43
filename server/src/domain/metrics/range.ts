/**
 * The time windows of the workflow metrics page: a range names how far back to look and the
 * bucket its series are grouped by. Buckets are whole UTC hours or days, so a chart's columns are
 * stable while the page is open; the window ends at the end of the current bucket. Pure.
 */
import { z } from "zod";

export const metricsRange = z.enum(["24h", "7d", "30d"]).describe("How far back the metrics look.");
export type MetricsRange = z.infer<typeof metricsRange>;

export type MetricsBucket = "hour" | "day";

export interface MetricsWindow {
  range: MetricsRange;
  bucket: MetricsBucket;
  /** Start of the first bucket (inclusive). */
  from: Date;
  /** End of the last bucket (exclusive): the end of the bucket `now` is in. */
  to: Date;
  /** Every bucket's start, oldest first (charts show empty buckets as zero runs, not gaps). */
  buckets: Date[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHAPE: Record<MetricsRange, { bucket: MetricsBucket; size: number; count: number }> = {
  "24h": { bucket: "hour", size: HOUR, count: 24 },
  "7d": { bucket: "day", size: DAY, count: 7 },
  "30d": { bucket: "day", size: DAY, count: 30 },
};

export function metricsWindow(range: MetricsRange, now: Date): MetricsWindow {
  const { bucket, size, count } = SHAPE[range];
  const currentStart = Math.floor(now.getTime() / size) * size;
  const from = currentStart - (count - 1) * size;
  const buckets = Array.from({ length: count }, (_, i) => new Date(from + i * size));
  return { range, bucket, from: new Date(from), to: new Date(currentStart + size), buckets };
}

/** A rate as a fraction of 1, or null when nothing could have happened (0 of 0 is not 0 %). */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
