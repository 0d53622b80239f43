/**
 * The one way a run ends, whoever ends it (the executor, the queue giving up, the reaper): close
 * its open steps, roll its totals up from the steps (so a run that failed after paying for calls
 * still shows what it cost), store the final status, and close the trace with `run.finished`
 * carrying the same totals — so every live reader ends and every figure agrees.
 */
import { Prisma, type PrismaClient } from "../db/prisma.ts";
import type { FinalRunStatus } from "../domain/run-status.ts";
import { MODEL_CALLING_TYPES } from "../domain/workflow/schema.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import { type TraceObserver, TraceRecorder } from "../trace/recorder.ts";
import { endRun } from "./run-store.ts";

export type FinalStatus = FinalRunStatus;

export interface RunTotals {
  totalTokens: number;
  /** The priced steps' sum: a lower bound when `costComplete` is false. */
  totalCostCents: Prisma.Decimal;
  totalLatencyMs: number;
  /** Every succeeded LLM step has a price. */
  costComplete: boolean;
  /** Succeeded LLM steps whose model has no price (their cost is unknown, not 0). */
  unpricedSteps: number;
}

export interface FinishRunOptions {
  status: FinalStatus;
  errorSummary: string | null;
  /** Only finish the run if it is still in one of these states (default: any open one; nobody re-ends a run). */
  onlyFrom?: ("queued" | "running" | "waiting")[];
  /** The run's recorder, when the caller already holds one; it is closed (flushed) either way. */
  recorder?: TraceRecorder;
  now?: Date;
  /** Set when the run never started (e.g. its stored document no longer validates). */
  startedAt?: Date;
}

/** Totals as the run.finished event carries them (cost as a decimal string: exact cents). */
export function finishedPayload(status: FinalStatus, error: string | null, totals: RunTotals) {
  return {
    status,
    error,
    totalTokens: totals.totalTokens,
    totalCostCents: totals.totalCostCents.toString(),
    totalLatencyMs: totals.totalLatencyMs,
    costComplete: totals.costComplete,
    unpricedSteps: totals.unpricedSteps,
  };
}

export async function rollUpTotals(prisma: PrismaClient, runId: string): Promise<RunTotals> {
  const [sums, unpricedSteps] = await Promise.all([
    prisma.runStep.aggregate({
      where: { runId },
      _sum: { tokensInput: true, tokensOutput: true, costCents: true, latencyMs: true },
    }),
    prisma.runStep.count({ where: unpricedStepsWhere(runId) }),
  ]);
  return {
    totalTokens: (sums._sum.tokensInput ?? 0) + (sums._sum.tokensOutput ?? 0),
    totalCostCents: sums._sum.costCents ?? new Prisma.Decimal(0),
    totalLatencyMs: sums._sum.latencyMs ?? 0,
    costComplete: unpricedSteps === 0,
    unpricedSteps,
  };
}

/** A step that made a call whose price is unknown: a model-calling step that finished with no cost. */
export function unpricedStepsWhere(runId: string) {
  return { runId, nodeType: { in: [...MODEL_CALLING_TYPES] }, status: "succeeded" as const, costCents: null };
}

/** Returns false (and writes nothing) when `onlyFrom` is given and the run was already past it. */
export async function finishRun(
  deps: { prisma: PrismaClient; pubsub: PubSub },
  runId: string,
  options: FinishRunOptions,
): Promise<boolean> {
  const { prisma } = deps;
  const now = options.now ?? new Date();
  const totals = await rollUpTotals(prisma, runId);
  // The run row and its unfinished steps change together (endRun): whoever reads a run that ended
  // is never shown one of its steps still queued or running.
  const ended = await endRun(prisma, runId, {
    status: options.status,
    onlyFrom: options.onlyFrom,
    now,
    data: {
      errorSummary: options.errorSummary,
      ...(options.startedAt ? { startedAt: options.startedAt } : {}),
      ...totals,
    },
  });
  const recorder = !ended
    ? options.recorder
    : (options.recorder ??
      (await TraceRecorder.open(prisma, deps.pubsub, runId, {
        observer: (deps as { observe?: TraceObserver }).observe,
      })));
  if (ended && recorder) {
    recorder.emit("run.finished", null, finishedPayload(options.status, options.errorSummary, totals));
  }
  await recorder?.close();
  return ended;
}
