/**
 * The shape of GraphQL `Run.diff(against:)` (a JSON field, documented in schema.graphql; the server's
 * `domain/run-diff.ts` is its source). Pairs are `[against, this run]`.
 */
export type Pair<T> = [T, T];

export interface PathChange {
  path: string;
  old?: unknown;
  new?: unknown;
}

export interface LineChange {
  op: "same" | "added" | "removed";
  text: string;
}

export type ValueDiff = { kind: "text"; lines: LineChange[] } | { kind: "json"; changes: PathChange[] };

export interface StepDiff {
  nodeId: string;
  presence: "both" | "added" | "removed";
  status: Pair<string | null>;
  outputChanged: boolean;
  outputDiff: ValueDiff | null;
  configChanged: boolean;
  configDiff: PathChange[];
  branch: Pair<unknown>;
  tokens: Pair<number | null>;
  costCents: Pair<string | null>;
  latencyMs: Pair<number | null>;
  reused: Pair<boolean | null>;
}

export interface RunDiff {
  steps: StepDiff[];
  totals: {
    status: Pair<string>;
    tokens: Pair<number>;
    costCents: Pair<string>;
    costComplete: Pair<boolean>;
    latencyMs: Pair<number>;
  };
}

/** "better" when this run is cheaper/faster/smaller, "worse" when it is not, "same" or "unknown". */
export function trend(pair: Pair<number | string | null>): "better" | "worse" | "same" | "unknown" {
  const [a, b] = pair.map((v) => (v === null ? null : Number(v)));
  if (a === null || b === null || a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b)) {
    return "unknown";
  }
  return b < a ? "better" : b > a ? "worse" : "same";
}
