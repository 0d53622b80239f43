/** The run diff as the dashboard reads it: the types of the shared diff contract. */
export type { RunDiff, StepDiff, ValueDiff } from "@flowtrace/contract/diffs";
export type Pair<T> = [T, T];

/** "better" when this run is cheaper/faster/smaller, "worse" when it is not, "same" or "unknown". */
export function trend(pair: Pair<number | string | null>): "better" | "worse" | "same" | "unknown" {
  const [a, b] = pair.map((v) => (v === null ? null : Number(v)));
  if (a === null || b === null || a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b)) {
    return "unknown";
  }
  return b < a ? "better" : b > a ? "worse" : "same";
}
