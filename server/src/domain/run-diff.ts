/**
 * Two runs side by side, step by step (matched by node id): status, output and config changes,
 * the branch a router took, and tokens, cost and latency of each. Every pair is
 * `[against, this run]`. Pure.
 */

import type { RunDiff, StepDiff } from "@flowtrace/contract/diffs";
import { pathChanges, valueDiff } from "./diff.ts";
import { Cents } from "./pricing/money.ts";
import { kindHas } from "./workflow/kinds/index.ts";
import { callsModels } from "./workflow/schema.ts";

export interface DiffStep {
  nodeId: string;
  nodeType: string;
  status: string;
  output: unknown;
  tokens: number;
  costCents: string | null;
  latencyMs: number | null;
  reused: boolean;
}

export interface DiffRun {
  id: string;
  status: string;
  /** The document the run ran (its snapshot). */
  document: { nodes?: { id: string; config?: unknown }[] } | null;
  steps: DiffStep[];
}

export type { RunDiff, StepDiff } from "@flowtrace/contract/diffs";

const configOf = (run: DiffRun, nodeId: string) => run.document?.nodes?.find((n) => n.id === nodeId)?.config;
const branchOf = (step: DiffStep | undefined) =>
  step && kindHas(step.nodeType, "branchIsOutput") && step.status === "succeeded" ? step.output : null;

function stepDiff(a: DiffRun, b: DiffRun, nodeId: string): StepDiff {
  const sa = a.steps.find((s) => s.nodeId === nodeId);
  const sb = b.steps.find((s) => s.nodeId === nodeId);
  const outputDiff = sa && sb ? valueDiff(sa.output ?? null, sb.output ?? null) : null;
  const configDiff = sa && sb ? pathChanges(configOf(a, nodeId) ?? null, configOf(b, nodeId) ?? null) : [];
  return {
    nodeId,
    presence: sa && sb ? "both" : sa ? "removed" : "added",
    status: [sa?.status ?? null, sb?.status ?? null],
    outputChanged: outputDiff !== null,
    outputDiff,
    configChanged: configDiff.length > 0,
    configDiff,
    branch: [branchOf(sa), branchOf(sb)],
    tokens: [sa?.tokens ?? null, sb?.tokens ?? null],
    costCents: [sa?.costCents ?? null, sb?.costCents ?? null],
    latencyMs: [sa?.latencyMs ?? null, sb?.latencyMs ?? null],
    reused: [sa?.reused ?? null, sb?.reused ?? null],
  };
}

function totals(run: DiffRun) {
  const priced = run.steps.filter((s) => s.status === "succeeded" && s.costCents !== null);
  return {
    tokens: run.steps.reduce((n, s) => n + s.tokens, 0),
    costCents: priced.reduce((sum, s) => sum.add(Cents.parse(s.costCents as string)), Cents.ZERO).toString(),
    costComplete: run.steps.every((s) => s.status !== "succeeded" || !callsModels(s.nodeType) || s.costCents !== null),
    latencyMs: run.steps.reduce((n, s) => n + (s.latencyMs ?? 0), 0),
  };
}

/** `b` (this run) against `a`; nodes in the order of `a`, then those only in `b`. */
export function diffRuns(a: DiffRun, b: DiffRun): RunDiff {
  const ids = [...new Set([...a.steps.map((s) => s.nodeId), ...b.steps.map((s) => s.nodeId)])];
  const [ta, tb] = [totals(a), totals(b)];
  return {
    steps: ids.map((id) => stepDiff(a, b, id)),
    totals: {
      status: [a.status, b.status],
      tokens: [ta.tokens, tb.tokens],
      costCents: [ta.costCents, tb.costCents],
      costComplete: [ta.costComplete, tb.costComplete],
      latencyMs: [ta.latencyMs, tb.latencyMs],
    },
  };
}
