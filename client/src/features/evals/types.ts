/** The REST answers of datasets and experiments, as generated from the server's contract. */
import type { Evals } from "../../generated/evals.ts";

export type Dataset = Evals["Dataset"];
export type DatasetItem = Evals["DatasetItem"];
export type Experiment = Evals["Experiment"];
export type ExperimentDetail = Evals["ExperimentDetail"];
export type ExperimentItem = ExperimentDetail["items"][number];
export type Scorer = Experiment["scorers"][number];
export type Comparison = Evals["ExperimentComparison"];
export type ItemComparison = Comparison["items"][number];

export interface ImportPreview {
  count: number;
  items: { input_vars: Record<string, unknown>; expected?: unknown; metadata?: Record<string, unknown> }[];
  issues: { path: string; message: string }[];
}

export const percent = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;

/** A value as one short line (inputs, outputs, expected answers). */
export function brief(v: unknown, max = 80): string {
  if (v === undefined) return "—";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
