/**
 * Executes one workflow run: the compiled DAG becomes a LangGraph StateGraph (one graph node per
 * workflow node), checkpointed in PostgreSQL per superstep so a run interrupted by a crash resumes
 * after its last completed step. Sequential runs chain the nodes in topological order; parallel
 * runs join level by level. The parts: run-preparation.ts (validate, step rows, budget, bindings),
 * run-signals.ts (cancel, hand-off, deadline, another executor), step-runner.ts (one node's step),
 * outcome.ts (what an error means for a step and its run).
 */
import { END, isInterrupted, START, StateGraph } from "@langchain/langgraph";
import { DatabaseOutageError, isDatabaseUnavailable } from "../db/errors.ts";
import { isFinalRun as isFinal } from "../domain/run-status.ts";
import type { CompiledWorkflow } from "../domain/workflow/compile.ts";
import { TraceConflictError, TraceRecorder } from "../trace/recorder.ts";
import type { EngineDeps } from "./deps.ts";
import { type FinalStatus, finishRun } from "./finish-run.ts";
import { prismaLlmStore } from "./kinds/llm/store.ts";
import { isHandBack, runOutcomeFor } from "./outcome.ts";
import type { RunContext } from "./run-context.ts";
import { RunState } from "./run-context.ts";
import { closeFinishedRun, type PreparedRun, prepareRun } from "./run-preparation.ts";
import { createRunSecrets } from "./run-secrets.ts";
import { RunSignals } from "./run-signals.ts";
import { parkRun as parkRunRow } from "./run-store.ts";
import { graphNode } from "./step-runner.ts";

export type { EngineDeps } from "./deps.ts";
export { CanceledError } from "./run-signals.ts";

export type RunStatusResult = "succeeded" | "failed" | "canceled" | "skipped" | "waiting";

type Ending = { status: FinalStatus; summary: string | null } | { status: "waiting" };

/**
 * Execute (or resume) a run. `signal` cancels it; `handoff` (graceful worker shutdown) stops it
 * resumably: the run stays `running`, the step in flight goes back to `queued`, and a HandoffError
 * is thrown so the queue gives the job to another worker.
 */
export async function executeRun(
  runId: string,
  deps: EngineDeps,
  options: { signal?: AbortSignal; handoff?: AbortSignal } = {},
) {
  const run = await deps.prisma.workflowRun.findUnique({ where: { id: runId }, include: { workflow: true } });
  if (!run) throw new Error(`run ${runId} does not exist`);
  if (isFinal(run.status)) {
    await closeFinishedRun(deps, { ...run, status: run.status });
    return run.status;
  }
  const secrets = createRunSecrets(deps.secrets?.(run.workflow.projectId) ?? null);
  const recorder = await TraceRecorder.open(deps.prisma, deps.pubsub, runId, {
    observer: deps.observe,
    redact: secrets.scrub,
    ...(deps.traceWriter ? { writer: deps.traceWriter } : {}),
  });
  const prepared = await prepareRun(deps, run, recorder);
  if ("ended" in prepared) return endedMeanwhile(deps, runId, recorder);
  if ("invalid" in prepared) {
    await finishRun(deps, runId, {
      status: "failed",
      errorSummary: prepared.invalid,
      recorder,
      startedAt: run.startedAt ?? new Date(),
    });
    return "failed" as const;
  }
  // The deadline counts active time: what the run spent waiting for approvals moves it on.
  const activeSince = new Date(prepared.startedAt.getTime() + run.waitedMs);
  const signals = await RunSignals.open(
    { pubsub: deps.pubsub, recorder },
    runId,
    { startedAt: activeSince, timeoutSeconds: prepared.limits.timeoutSeconds },
    options,
  );
  const context: RunContext = {
    deps,
    runId,
    resuming: run.status === "running",
    recorder,
    prepared,
    signals,
    llmStore: prismaLlmStore(deps.prisma),
    secrets,
  };
  const ending = await invokeGraph(context).finally(() => signals.dispose().catch(() => {}));
  if (ending.status === "waiting") return parkRun(deps, runId, recorder);
  // Roll-ups are computed from the steps, so they always equal the sum of their parts.
  await finishRun(deps, runId, { status: ending.status, errorSummary: ending.summary, recorder });
  await deps.checkpointer.deleteThread?.(runId).catch(() => {});
  return ending.status;
}

/** The run ended before this executor could start it (canceled while queued): close its trace, if nobody has. */
async function endedMeanwhile(deps: EngineDeps, runId: string, recorder: TraceRecorder) {
  await recorder.close();
  const run = await deps.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { workflow: true } });
  if (!isFinal(run.status)) throw new Error(`run ${runId} is ${run.status}: it could not be started`);
  await closeFinishedRun(deps, { ...run, status: run.status });
  return run.status;
}

/**
 * The run stopped at an approval: its checkpoint holds everything, so it is parked as `waiting`
 * and the job ends (no worker slot, no job while it waits). Only from `running`: a decision that
 * already came in has moved it on. The trace is flushed first, so a resume finds it complete.
 */
async function parkRun(deps: EngineDeps, runId: string, recorder: TraceRecorder) {
  await recorder.close();
  await parkRunRow(deps.prisma, runId);
  return "waiting" as const;
}

/**
 * Run the graph to its end. Resolves with how the run ends; throws (leaving the run to resume or
 * to its other executor) on a hand-off, a storage outage or a trace conflict.
 */
async function invokeGraph(run: RunContext): Promise<Ending> {
  const config = {
    configurable: { thread_id: run.runId },
    recursionLimit: run.prepared.workflow.nodes.length * 2 + 10,
  };
  try {
    // Built inside the try: a graph LangGraph refuses fails the run instead of the job retrying it forever.
    const app = buildGraph(run, run.prepared).compile({ checkpointer: run.deps.checkpointer });
    const existing = await run.deps.checkpointer.getTuple(config);
    const out = await app.invoke(existing ? null : {}, config);
    if (isInterrupted(out)) return { status: "waiting" };
    return { status: "succeeded", summary: null };
  } catch (error) {
    const reason = run.signals.reason ?? error;
    if (reason instanceof TraceConflictError) throw reason;
    if (error instanceof TraceConflictError) throw error;
    if (isHandBack(reason) || error instanceof DatabaseOutageError || isDatabaseUnavailable(error)) {
      // Hand the run back: the queue retries the job (with backoff) and it resumes from the checkpoint.
      await run.recorder.close().catch(() => {});
      if (isHandBack(reason)) throw reason;
      // Already wrapped by the step that met the outage: don't wrap (and repeat its message) again.
      throw error instanceof DatabaseOutageError ? error : new DatabaseOutageError(error);
    }
    return runOutcomeFor(reason);
  }
}

function buildGraph(run: RunContext, prepared: PreparedRun) {
  const graph = new StateGraph(RunState);
  for (const node of prepared.workflow.nodes) graph.addNode(node.id, graphNode(run, node));
  wireEdges(graph as unknown as EdgeBuilder, prepared.compiled);
  return graph;
}

interface EdgeBuilder {
  addEdge(from: string | string[], to: string): unknown;
}

/** Sequential: START → order[0] → … → END. Parallel: each level joins on all of the previous one. */
function wireEdges(graph: EdgeBuilder, compiled: CompiledWorkflow) {
  if (!compiled.parallel) {
    let previous = START as string;
    for (const id of compiled.order) {
      graph.addEdge(previous, id);
      previous = id;
    }
    graph.addEdge(previous, END);
    return;
  }
  let previous: string[] = [START];
  for (const level of compiled.levels) {
    for (const id of level) graph.addEdge(previous.length === 1 ? (previous[0] as string) : previous, id);
    previous = [...level];
  }
  // LangGraph refuses a join into END ("END cannot be an end node"): each last node ends on its own,
  // and the run ends once none has work left.
  for (const id of previous) graph.addEdge(id, END);
}
