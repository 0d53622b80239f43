/** The run diff as the dashboard reads it: types generated from the server's diff contract. */
import type { Diffs } from "../../generated/diffs.ts";

export type RunDiff = Diffs["RunDiff"];
export type StepDiff = RunDiff["steps"][number];
export type ValueDiff = NonNullable<StepDiff["outputDiff"]>;
export type Pair<T> = [T, T];

/** "better" when this run is cheaper/faster/smaller, "worse" when it is not, "same" or "unknown". */
export function trend(pair: Pair<number | string | null>): "better" | "worse" | "same" | "unknown" {
  const [a, b] = pair.map((v) => (v === null ? null : Number(v)));
  if (a === null || b === null || a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b)) {
    return "unknown";
  }
  return b < a ? "better" : b > a ? "worse" : "same";
}
