/**
 * Executes one workflow run: the compiled DAG becomes a LangGraph StateGraph (one graph node per
 * workflow node), checkpointed in PostgreSQL per superstep so a run interrupted by a crash resumes
 * after its last completed step. Sequential runs chain the nodes in topological order; parallel
 * runs join level by level. Each graph node asks the RunPlanner whether it runs or is skipped.
 */
import { Annotation, type BaseCheckpointSaver, END, START, StateGraph } from "@langchain/langgraph";
import { DatabaseOutageError, isDatabaseUnavailable } from "../db/errors.ts";
import { Prisma, type PrismaClient } from "../db/prisma.ts";
import { ExpressionRuntimeError, evaluate } from "../domain/expression/evaluate.ts";
import { parseExpression } from "../domain/expression/parse.ts";
import { HandoffError } from "../domain/handoff.ts";
import { Cents } from "../domain/pricing/money.ts";
import type { PriceMap } from "../domain/pricing/pricing.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { storableString, toStorable } from "../domain/storable-json.ts";
import { channels } from "../domain/trace/events.ts";
import { type CompiledWorkflow, type NodeOutcome, RunPlanner } from "../domain/workflow/compile.ts";
import type { WorkflowNode } from "../domain/workflow/schema.ts";
import { renderValue, type TemplateContext, TemplateError } from "../domain/workflow/templates.ts";
import { DEFAULT_LIMITS, type ServerCaps, validateWorkflow } from "../domain/workflow/validate.ts";
import type { Logger } from "../observability/logger.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import { toolCatalog } from "../tools/registry.ts";
import { ToolError } from "../tools/types.ts";
import { TraceConflictError, TraceRecorder } from "../trace/recorder.ts";
import { LimitExceededError, RunBudget } from "./budget.ts";
import { finishedPayload, finishRun, rollUpTotals } from "./finish-run.ts";
import { runLlmStep } from "./llm-step.ts";
import { abortableSleep, type StepContext, type StepResult } from "./step-context.ts";
import { runToolStep } from "./tool-step.ts";

export interface EngineDeps {
  prisma: PrismaClient;
  pubsub: PubSub;
  providers: ProviderRegistry;
  prices: PriceMap;
  fetchAllow: readonly string[];
  logger: Logger;
  checkpointer: BaseCheckpointSaver;
  caps?: ServerCaps;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export type RunStatusResult = "succeeded" | "failed" | "canceled" | "skipped";

export class CanceledError extends Error {
  override readonly name = "CanceledError";
}

interface Outcome {
  status: NodeOutcome;
  active: number[];
}

const RunState = Annotation.Root({
  outputs: Annotation<Record<string, unknown>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  outcomes: Annotation<Record<string, Outcome>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
});
type State = typeof RunState.State;

/** Scope of a node's router rule (and, plus `branch`/`output`, of its outbound `when`s). */
function scopeFor(
  inputs: Record<string, unknown>,
  runInput: Record<string, unknown>,
  parentOutputs: Record<string, unknown>,
) {
  const parents = Object.keys(parentOutputs);
  const output = parents.length === 1 ? parentOutputs[parents[0] as string] : parentOutputs;
  return { ...inputs, inputs, input: runInput, output };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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
  const { prisma } = deps;
  const run = await prisma.workflowRun.findUnique({ where: { id: runId }, include: { workflow: true } });
  if (!run) throw new Error(`run ${runId} does not exist`);
  if (run.status === "succeeded" || run.status === "failed" || run.status === "canceled") {
    // An executor that stopped between storing the final status and its `run.finished` event leaves
    // readers waiting: close the trace for them (once).
    const last = await prisma.traceEvent.findFirst({ where: { runId }, orderBy: { seq: "desc" } });
    if (last?.kind !== "run.finished") {
      const recorder = await TraceRecorder.open(prisma, deps.pubsub, runId);
      recorder.emit(
        "run.finished",
        null,
        finishedPayload(run.status, run.errorSummary, await rollUpTotals(prisma, runId)),
      );
      await recorder.close();
    }
    return run.status;
  }

  const recorder = await TraceRecorder.open(prisma, deps.pubsub, runId);
  const resuming = run.status === "running";
  const fail = async (summary: string) => {
    await finishRun(deps, runId, {
      status: "failed",
      errorSummary: summary,
      recorder,
      startedAt: run.startedAt ?? new Date(),
    });
    return "failed" as const;
  };

  const validation = validateWorkflow(run.graphSnapshot ?? run.workflow.graphJson, {
    tools: toolCatalog,
    providers: deps.providers.names(),
    ...(deps.caps ? { caps: deps.caps } : {}),
  });
  if (!validation.ok) {
    const first = validation.issues[0];
    return fail(`invalid workflow: ${first?.path ? `${first.path}: ` : ""}${first?.message ?? "invalid"}`);
  }
  const { workflow, compiled } = validation;
  const limits = { ...DEFAULT_LIMITS, ...workflow.limits };

  await prisma.runStep.createMany({
    data: workflow.nodes.map((n) => ({ runId, nodeId: n.id, nodeType: n.type })),
    skipDuplicates: true,
  });
  const steps = await prisma.runStep.findMany({ where: { runId } });
  const stepIds = new Map(steps.map((s) => [s.nodeId, s.id]));

  const startedAt = run.startedAt ?? new Date();
  await prisma.workflowRun.update({ where: { id: runId }, data: { status: "running", startedAt } });
  const inputVars = (run.inputVars ?? {}) as Record<string, unknown>;
  if (recorder.lastSeq === 0) {
    recorder.emit("run.started", null, {
      workflowId: run.workflowId,
      inputVars,
      nodes: workflow.nodes.map((n) => ({ id: n.id, type: n.type, name: n.name })),
      parallel: compiled.parallel,
      simulated: deps.providers.simulated,
      limits,
    });
  } else if (resuming) {
    recorder.emit("log", null, { level: "info", message: "resuming after the previous executor stopped" });
  }

  // Cancellation (cancel API via pub/sub, or the caller's signal) and the run deadline.
  const controller = new AbortController();
  const abort = (reason: Error) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  options.signal?.addEventListener("abort", () => abort(new CanceledError("run canceled")), { once: true });
  if (options.signal?.aborted) abort(new CanceledError("run canceled"));
  options.handoff?.addEventListener("abort", () => abort(new HandoffError()), { once: true });
  if (options.handoff?.aborted) abort(new HandoffError());
  // Another executor is writing this run (the queue handed the job out twice): stop at once, write
  // nothing more, leave the run to the first writer.
  recorder.onFailure((error) => {
    if (error instanceof TraceConflictError) abort(error);
  });
  const unsubscribe = await deps.pubsub.subscribe(channels.control(runId), (message) => {
    if ((message as { type?: string })?.type === "cancel") abort(new CanceledError("run canceled"));
  });
  const elapsedMs = Date.now() - startedAt.getTime();
  const deadline = setTimeout(
    () =>
      abort(
        new LimitExceededError(
          "timeout",
          `run exceeded its ${limits.timeoutSeconds} s deadline (limits.timeoutSeconds)`,
        ),
      ),
    Math.max(0, limits.timeoutSeconds * 1000 - elapsedMs),
  );

  // Budgets continue from what finished steps already used (resume).
  const budget = new RunBudget(
    limits.maxTokens,
    limits.maxCostCents !== undefined ? Cents.parse(String(limits.maxCostCents)) : null,
  );
  for (const s of steps) {
    if (s.status === "succeeded") {
      budget.tokensUsed += s.tokensInput + s.tokensOutput;
      if (s.costCents) budget.costUsed = budget.costUsed.add(Cents.parse(s.costCents.toFixed(12)));
    }
  }

  const bindingRows = await prisma.providerBinding.findMany({ where: { workflowId: run.workflowId } });
  const bindings = new Map(bindingRows.map((b) => [b.provider, { model: b.model, temperature: b.temperature }]));

  const graphNode =
    (node: WorkflowNode) =>
    async (state: State): Promise<Partial<State>> => {
      const stepId = stepIds.get(node.id) as string;
      const planner = new RunPlanner(compiled);
      for (const [id, o] of Object.entries(state.outcomes)) planner.restore(id, o.status, o.active);
      if (planner.decide(node.id) === "skip") {
        await prisma.runStep.updateMany({ where: { id: stepId }, data: { status: "skipped" } });
        recorder.emit("step.skipped", stepId, { nodeId: node.id, reason: "no active inbound edge" });
        return { outcomes: { [node.id]: { status: "skipped", active: [] } } };
      }
      if (controller.signal.aborted) throw controller.signal.reason;
      return runStep(node, stepId, state, planner);
    };

  const runStep = async (
    node: WorkflowNode,
    stepId: string,
    state: State,
    planner: RunPlanner,
  ): Promise<Partial<State>> => {
    const started = new Date();
    // The `running` mark is written while the step works (not before it): every later write to the
    // step row waits for it first, so the row never goes back to `running`. A crash before it lands
    // leaves the step `queued`, which resumes the same way.
    const markedRunning = prisma.runStep
      .updateMany({
        // Never over a finished step: a second executor of the run must not reopen what the first closed.
        where: { id: stepId, status: { in: ["queued", "running"] } },
        data: { status: "running", startedAt: started, error: null },
      })
      .then(() => undefined);
    markedRunning.catch(() => {}); // observed below; never an unhandled rejection meanwhile
    // The step row's latest write: a failure path waits for it, so its own write lands last.
    let rowWrite: Promise<unknown> = markedRunning;
    recorder.emit("step.started", stepId, { nodeId: node.id, type: node.type, name: node.name });
    const tctx: TemplateContext = { nodeOutputs: new Map(Object.entries(state.outputs)), input: inputVars };
    const t0 = performance.now();
    try {
      const inputs = renderValue(node.inputs ?? {}, tctx) as Record<string, unknown>;
      const parentOutputs = Object.fromEntries(
        (compiled.parents.get(node.id) ?? []).filter((p) => p in state.outputs).map((p) => [p, state.outputs[p]]),
      );
      const scope = scopeFor(inputs, inputVars, parentOutputs);
      const ctx: StepContext = {
        stepId,
        runId,
        resuming,
        recorder,
        budget,
        prisma,
        providers: deps.providers,
        prices: deps.prices,
        bindings,
        fetchAllow: deps.fetchAllow,
        signal: controller.signal,
        ...(node.type === "llm" && node.config.fault ? { fault: node.config.fault } : {}),
        sleep: deps.sleep ?? abortableSleep,
        random: deps.random ?? Math.random,
      };
      let result: StepResult;
      let edgeScope: Record<string, unknown>;
      switch (node.type) {
        case "llm":
          result = await runLlmStep(node, inputs, tctx, ctx);
          edgeScope = { ...scope, output: toStorable(result.output) };
          break;
        case "tool":
          result = await runToolStep(node, tctx, ctx);
          edgeScope = { ...scope, output: toStorable(result.output) };
          break;
        case "router": {
          const parsed = parseExpression(node.config.rule);
          if (!parsed.ok) throw new ExpressionRuntimeError(parsed.error.message);
          const branch = evaluate(parsed.ast, scope);
          recorder.emit("router.branch", stepId, { rule: node.config.rule, branch, scope: Object.keys(scope) });
          result = { output: branch, tokensInput: 0, tokensOutput: 0, cost: Cents.ZERO, cached: false };
          edgeScope = { ...scope, output: branch, branch };
          break;
        }
      }
      // What a step produced may hold bytes PostgreSQL refuses (a NUL in a fetched page): the stored
      // value, the traced value and the value later steps read are one and the same, made storable.
      const output = toStorable(result.output);
      const active = planner.complete(node.id, "succeeded", edgeScope).map((e) => e.index);
      const latencyMs = Math.round(performance.now() - t0);
      await markedRunning;
      // The step's final row and its events (the LLM answer among them) are stored side by side;
      // `step.finished` is published only once the row is final too, so whoever sees it can read the
      // finished step. Both are stored before the step counts as done (and LangGraph checkpoints it).
      const finalRow = prisma.runStep.updateMany({
        where: { id: stepId },
        data: {
          status: "succeeded",
          finishedAt: new Date(),
          latencyMs,
          tokensInput: result.tokensInput,
          tokensOutput: result.tokensOutput,
          tokensReasoning: result.tokensReasoning ?? 0,
          usageSource: result.usageSource ?? "provider",
          costCents: result.cost ? new Prisma.Decimal(result.cost.toString()) : null,
          output: output === undefined ? Prisma.JsonNull : (output as Prisma.InputJsonValue),
        },
      });
      finalRow.catch(() => {}); // awaited by the flush below; never an unhandled rejection meanwhile
      rowWrite = finalRow;
      recorder.emit("step.finished", stepId, {
        nodeId: node.id,
        output,
        latencyMs,
        tokensInput: result.tokensInput,
        tokensOutput: result.tokensOutput,
        tokensReasoning: result.tokensReasoning ?? 0,
        usageSource: result.usageSource ?? "provider",
        costCents: result.cost?.toString() ?? null,
        cached: result.cached,
        activeEdges: active,
      });
      await recorder.flush({ publishAfter: finalRow });
      await finalRow;
      return { outputs: { [node.id]: output }, outcomes: { [node.id]: { status: "succeeded", active } } };
    } catch (error) {
      // Storage went away: nothing can be recorded now; the run resumes from its checkpoint later.
      if (isDatabaseUnavailable(error)) throw new DatabaseOutageError(error);
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      if (reason instanceof TraceConflictError) throw reason; // the run is another executor's now
      await rowWrite.catch(() => {}); // a lost earlier write changes nothing below
      if (reason instanceof HandoffError) {
        await prisma.runStep.updateMany({ where: { id: stepId }, data: { status: "queued", startedAt: null } });
        recorder.emit("log", stepId, { level: "info", message: `step ${node.id} interrupted: ${reason.message}` });
        throw reason;
      }
      const canceled =
        reason instanceof CanceledError ||
        (error instanceof ProviderError && error.kind === "canceled" && reason instanceof CanceledError);
      const message = storableString(describeError(reason));
      await prisma.runStep.updateMany({
        where: { id: stepId },
        data: {
          status: canceled ? "canceled" : "failed",
          finishedAt: new Date(),
          latencyMs: Math.round(performance.now() - t0),
          error: message,
        },
      });
      recorder.emit("step.failed", stepId, {
        nodeId: node.id,
        error: message,
        kind: errorKind(reason),
      });
      throw reason;
    }
  };

  const config = { configurable: { thread_id: runId }, recursionLimit: workflow.nodes.length * 2 + 10 };

  let status: "succeeded" | "failed" | "canceled" = "succeeded";
  let summary: string | null = null;
  try {
    // Built inside the try: a graph LangGraph refuses fails the run instead of the job retrying it forever.
    const graph = new StateGraph(RunState);
    for (const node of workflow.nodes) graph.addNode(node.id, graphNode(node));
    wireEdges(graph as unknown as EdgeBuilder, compiled);
    const app = graph.compile({ checkpointer: deps.checkpointer });
    const existing = await deps.checkpointer.getTuple(config);
    await app.invoke(existing ? null : {}, config);
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    if (reason instanceof TraceConflictError || error instanceof TraceConflictError) {
      clearTimeout(deadline);
      await unsubscribe().catch(() => {});
      throw reason instanceof TraceConflictError ? reason : error;
    }
    if (reason instanceof HandoffError || error instanceof DatabaseOutageError || isDatabaseUnavailable(error)) {
      // Hand the run back: the queue retries the job (with backoff) and it resumes from the checkpoint.
      clearTimeout(deadline);
      await unsubscribe().catch(() => {});
      await recorder.close().catch(() => {});
      if (reason instanceof HandoffError) throw reason;
      // Already wrapped by the step that met the outage: don't wrap (and repeat its message) again.
      throw error instanceof DatabaseOutageError ? error : new DatabaseOutageError(error);
    }
    if (reason instanceof CanceledError) {
      status = "canceled";
      summary = "canceled";
    } else {
      status = "failed";
      summary = reason instanceof LimitExceededError ? reason.summary : stepFailureSummary(reason);
    }
  } finally {
    clearTimeout(deadline);
    await unsubscribe();
  }

  // Roll-ups are computed from the steps, so they always equal the sum of their parts.
  await finishRun(deps, runId, { status, errorSummary: summary, recorder });
  await deps.checkpointer.deleteThread?.(runId).catch(() => {});
  return status;
}

function errorKind(error: unknown): string {
  if (error instanceof ProviderError) return `provider.${error.kind}`;
  if (error instanceof ToolError) return "tool";
  if (error instanceof TemplateError) return "template";
  if (error instanceof ExpressionRuntimeError) return "expression";
  if (error instanceof LimitExceededError) return `limit.${error.limit}`;
  if (error instanceof CanceledError) return "canceled";
  return "internal";
}

function stepFailureSummary(error: unknown): string {
  const message = describeError(error);
  return errorKind(error) === "internal" ? `internal error: ${message}` : message;
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
