/**
 * One graph node's work: decide run or skip, mark the step running, dispatch to its step kind
 * (LLM, tool, router), then store it as finished — or, on an error, as failed, canceled or
 * handed back. Built once per run by the executor.
 */
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import { interrupt } from "@langchain/langgraph";
import { DatabaseOutageError, isDatabaseUnavailable } from "../db/errors.ts";
import { storableString, toStorable } from "../domain/storable-json.ts";
import { RunPlanner } from "../domain/workflow/compile.ts";
import type { WorkflowNode } from "../domain/workflow/schema.ts";
import { renderValue, type TemplateContext } from "../domain/workflow/templates.ts";
import { PROCESS_SANDBOX } from "../sandbox/sandbox.ts";
import { TraceConflictError } from "../trace/recorder.ts";
import { recordRequested } from "./kinds/approval/handler.ts";
import { PROCESS_SINGLE_FLIGHT } from "./kinds/llm/handler.ts";
import { handlerFor } from "./kinds/registry.ts";
import type { StepDone } from "./kinds/types.ts";
import { describeError, errorKind, isHandBack, stepStatusFor } from "./outcome.ts";
import { reuseStep } from "./reuse-step.ts";
import type { RunContext, State } from "./run-context.ts";
import { WaitingForApprovalError, WaitingForChildError } from "./run-errors.ts";
import { finishedRow, handBackStep, parkStep, runningMark, skipStep, stopStep } from "./run-store.ts";
import { abortableSleep, type StepContext, type StepResult } from "./step-context.ts";

/** Scope of a node's router rule (and, plus `branch`/`output`, of its outbound `when`s). */
export function scopeFor(
  inputs: Record<string, unknown>,
  runInput: Record<string, unknown>,
  parentOutputs: Record<string, unknown>,
) {
  const parents = Object.keys(parentOutputs);
  const output = parents.length === 1 ? parentOutputs[parents[0] as string] : parentOutputs;
  return { ...inputs, inputs, input: runInput, output };
}

/** The LangGraph node function of a workflow node. */
export function graphNode(run: RunContext, node: WorkflowNode) {
  return async (state: State): Promise<Partial<State>> => {
    const stepId = run.prepared.stepIds.get(node.id) as string;
    const planner = new RunPlanner(run.prepared.compiled);
    for (const [id, o] of Object.entries(state.outcomes)) planner.restore(id, o.status, o.active);
    if (planner.decide(node.id) === "skip") {
      await skipStep(run.deps.prisma, stepId);
      run.recorder.emit("step.skipped", stepId, { nodeId: node.id, reason: "no active inbound edge" });
      return { outcomes: { [node.id]: { status: "skipped", active: [] } } };
    }
    if (run.signals.signal.aborted) throw run.signals.reason;
    const source = run.prepared.rerun?.reuse.get(node.id);
    if (source) return reuseStep(run, node, stepId, source);
    return runStep(run, node, stepId, state, planner);
  };
}

/**
 * The `running` mark goes out with the step's next batch of events (with `step.started` when the
 * step runs longer than a flush interval; replaced by the final row when it does not), so it costs
 * no round trip of its own. A crash before it lands leaves the step `queued`, which resumes the
 * same way.
 */
function markRunning(run: RunContext, stepId: string): Date {
  const startedAt = new Date();
  run.recorder.writeStepRow(stepId, runningMark(stepId, startedAt));
  return startedAt;
}

async function runStep(
  run: RunContext,
  node: WorkflowNode,
  stepId: string,
  state: State,
  planner: RunPlanner,
): Promise<Partial<State>> {
  const startedAt = markRunning(run, stepId);
  run.recorder.emit("step.started", stepId, { nodeId: node.id, type: node.type, name: node.name });
  const t0 = performance.now();
  try {
    const { result, edgeScope } = await dispatch(run, node, stepId, state);
    // What a step produced may hold bytes PostgreSQL refuses (a NUL in a fetched page): the stored
    // value, the traced value and the value later steps read are one and the same, made storable.
    const output = toStorable(result.output);
    const active = planner.complete(node.id, "succeeded", edgeScope).map((e) => e.index);
    const latencyMs = Math.round(performance.now() - t0);
    await storeFinished(run, node, stepId, { result, output, active, latencyMs, startedAt });
    return { outputs: { [node.id]: output }, outcomes: { [node.id]: { status: "succeeded", active } } };
  } catch (error) {
    const stopped = await storeStopped(run, node, stepId, error, Math.round(performance.now() - t0));
    // A gate: LangGraph's interrupt stops the run once the superstep's other tasks have finished
    // and stored their writes, so nothing beside or before the gate runs again on resume.
    if (stopped instanceof WaitingForApprovalError) interrupt({ approvalId: stopped.approval.id, nodeId: node.id });
    if (stopped instanceof WaitingForChildError) interrupt({ childRunId: stopped.childRunId, nodeId: node.id });
    throw stopped;
  }
}

/** Run the node's kind of step through its handler; the result and the scope its outbound edges see. */
async function dispatch(run: RunContext, node: WorkflowNode, stepId: string, state: State): Promise<StepDone> {
  const { prepared } = run;
  const tctx: TemplateContext = { nodeOutputs: new Map(Object.entries(state.outputs)), input: prepared.inputVars };
  const inputs = renderValue(node.inputs ?? {}, tctx) as Record<string, unknown>;
  const parentOutputs = Object.fromEntries(
    (prepared.compiled.parents.get(node.id) ?? []).filter((p) => p in state.outputs).map((p) => [p, state.outputs[p]]),
  );
  const scope = scopeFor(inputs, prepared.inputVars, parentOutputs);
  return handlerFor(node).run(node, { inputs, tctx, scope }, stepContext(run, stepId));
}

/**
 * A sub-workflow's run, executed inline: as a graph of its own, outside this step's LangGraph
 * context (its interrupts and checkpoints are its own). The executor imports this module, so it
 * is loaded when a child runs.
 */
async function runChildRun(childId: string, deps: RunContext["deps"], signal: AbortSignal): Promise<string> {
  const { executeRun } = await import("./executor.ts");
  return AsyncLocalStorageProviderSingleton.getInstance().run(undefined, () => executeRun(childId, deps, { signal }));
}

function stepContext(run: RunContext, stepId: string): StepContext {
  const { deps, prepared } = run;
  return {
    stepId,
    runId: run.runId,
    resuming: run.resuming,
    recorder: run.recorder,
    budget: prepared.budget,
    prisma: deps.prisma,
    llmStore: run.llmStore,
    providers: deps.providers,
    prices: deps.prices,
    bindings: prepared.bindings,
    fetchAllow: deps.fetchAllow,
    signal: run.signals.signal,
    sleep: deps.sleep ?? abortableSleep,
    random: deps.random ?? Math.random,
    singleFlight: deps.singleFlight ?? PROCESS_SINGLE_FLIGHT,
    cacheRead: prepared.rerun?.useCache ?? true,
    spendGuard: () => deps.spendGuard?.(run.runId) ?? Promise.resolve(),
    trace: prepared.trace,
    secrets: run.secrets,
    runStartedAt: prepared.startedAt,
    sandbox: deps.sandbox ?? PROCESS_SANDBOX,
    runChild: (childId) => runChildRun(childId, deps, run.signals.signal),
    projectId: prepared.projectId,
    mcp: deps.mcp ?? null,
    ...(prepared.replay ? { replay: prepared.replay } : {}),
  };
}

/**
 * The step's final row and its events (the LLM answer among them) are stored in one statement,
 * `step.finished` published only after it, so whoever sees it can read the finished step. Both are
 * stored before the step counts as done (and LangGraph checkpoints it).
 */
async function storeFinished(
  run: RunContext,
  node: WorkflowNode,
  stepId: string,
  done: { result: StepResult; output: unknown; active: number[]; latencyMs: number; startedAt: Date },
) {
  const { result, output, latencyMs } = done;
  run.recorder.emit("step.finished", stepId, {
    nodeId: node.id,
    output,
    latencyMs,
    tokensInput: result.tokensInput,
    tokensOutput: result.tokensOutput,
    tokensReasoning: result.tokensReasoning ?? 0,
    usageSource: result.usageSource ?? "provider",
    costCents: result.cost?.toString() ?? null,
    cached: result.cached,
    activeEdges: done.active,
  });
  run.recorder.writeStepRow(
    stepId,
    finishedRow(stepId, { result, output, latencyMs, startedAt: done.startedAt, finishedAt: new Date() }),
  );
  await run.recorder.flush();
}

/** Store why the step stopped; returns the error the run should see. */
async function storeStopped(
  run: RunContext,
  node: WorkflowNode,
  stepId: string,
  error: unknown,
  latencyMs: number,
): Promise<unknown> {
  // Storage went away: nothing can be recorded now; the run resumes from its checkpoint later.
  if (isDatabaseUnavailable(error)) return new DatabaseOutageError(error);
  const reason = run.signals.reason ?? error;
  if (reason instanceof TraceConflictError) return reason; // the run is another executor's now
  // The running mark may still wait in the recorder: store it first, so the write below lands last.
  await run.recorder.flush().catch(() => {}); // a lost earlier write changes nothing below
  const { prisma } = run.deps;
  if (reason instanceof WaitingForApprovalError) {
    await parkStep(prisma, stepId);
    await recordRequested(reason.approval, { prisma, recorder: run.recorder, runId: run.runId, stepId });
    return reason;
  }
  if (reason instanceof WaitingForChildError) {
    await parkStep(prisma, stepId);
    run.recorder.emit("log", stepId, { level: "info", message: `waiting for sub-workflow run ${reason.childRunId}` });
    await run.recorder.flush();
    return reason;
  }
  if (isHandBack(reason)) {
    await handBackStep(prisma, stepId);
    run.recorder.emit("log", stepId, { level: "info", message: `step ${node.id} interrupted: ${reason.message}` });
    return reason;
  }
  const message = storableString(describeError(reason));
  await stopStep(prisma, stepId, {
    status: stepStatusFor(reason, error),
    finishedAt: new Date(),
    latencyMs,
    error: message,
  });
  run.recorder.emit("step.failed", stepId, { nodeId: node.id, error: message, kind: errorKind(reason) });
  return reason;
}
