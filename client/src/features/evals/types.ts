/** Datasets and experiments as the dashboard reads them: the types of the shared evals contract. */
import type {
  DatasetItemJson,
  DatasetJson,
  ExperimentComparison,
  ExperimentDetailJson,
  ExperimentItemJson,
  ExperimentJson,
  ItemComparison,
  Scorer,
} from "@flowtrace/contract/evals";

export type Dataset = DatasetJson;
export type DatasetItem = DatasetItemJson;
export type Experiment = ExperimentJson;
export type ExperimentDetail = ExperimentDetailJson;
export type ExperimentItem = ExperimentItemJson;
export type Comparison = ExperimentComparison;
export type { ItemComparison, Scorer };

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
