/**
 * Before a run's graph executes: validate the stored document, create the step rows, mark the run
 * running and open (or resume) its trace, and rebuild its budget and provider bindings. Also the
 * one thing a finished run may still need: its closing `run.finished` event.
 */
import type { PrismaClient, WorkflowRun } from "../db/prisma.ts";
import { Cents } from "../domain/pricing/money.ts";
import type { CompiledWorkflow } from "../domain/workflow/compile.ts";
import { rerunPlanSchema } from "../domain/workflow/rerun-plan.ts";
import type { Workflow } from "../domain/workflow/schema.ts";
import { DEFAULT_LIMITS, validateWorkflow } from "../domain/workflow/validate.ts";
import { parseTraceParent, runTraceId } from "../observability/trace-context.ts";
import { toolCatalog } from "../tools/registry.ts";
import { TraceRecorder } from "../trace/recorder.ts";
import { RunBudget } from "./budget.ts";
import type { EngineDeps } from "./deps.ts";
import { type FinalStatus, finishedPayload, rollUpTotals } from "./finish-run.ts";
import { loadReplayBook, type ReplayBook } from "./replay.ts";
import { startRun } from "./run-store.ts";

export interface PreparedRun {
  /** The run's project (its secrets and MCP servers). */
  projectId: string;
  workflow: Workflow;
  compiled: CompiledWorkflow;
  limits: { maxNodes: number; maxTokens: number; timeoutSeconds: number; maxCostCents?: number | undefined };
  /** nodeId → step row id */
  stepIds: Map<string, string>;
  inputVars: Record<string, unknown>;
  startedAt: Date;
  budget: RunBudget;
  bindings: ReadonlyMap<string, { model: string; temperature: number | null }>;
  /** A re-run: the parent, and the nodes whose recorded steps it takes (node id → the parent's step id). */
  rerun: { parentRunId: string; reuse: ReadonlyMap<string, string>; useCache: boolean } | null;
  /** A replay's recording (the parent's requests and answers). */
  replay: ReplayBook | null;
  /** The run's W3C trace: outgoing calls carry it (`traceparent`), its spans belong to it. */
  trace: { traceId: string; flags: number };
}

type RunRow = WorkflowRun & { workflow: { graphJson: unknown; projectId: string } };

/**
 * An executor that stopped between storing the final status and its `run.finished` event leaves
 * readers waiting: close the trace for them (once).
 */
export async function closeFinishedRun(
  deps: Pick<EngineDeps, "prisma" | "pubsub" | "observe">,
  run: RunRow & { status: FinalStatus },
) {
  const last = await deps.prisma.traceEvent.findFirst({ where: { runId: run.id }, orderBy: { seq: "desc" } });
  if (last?.kind === "run.finished") return;
  const recorder = await TraceRecorder.open(deps.prisma, deps.pubsub, run.id, { observer: deps.observe });
  recorder.emit(
    "run.finished",
    null,
    finishedPayload(run.status, run.errorSummary, await rollUpTotals(deps.prisma, run.id)),
  );
  await recorder.close();
}

/** The run ready to execute, or why its stored document cannot run. */
export async function prepareRun(
  deps: EngineDeps,
  run: RunRow,
  recorder: TraceRecorder,
): Promise<PreparedRun | { invalid: string } | { ended: true }> {
  const validation = validateWorkflow(run.graphSnapshot ?? run.workflow.graphJson, {
    tools: toolCatalog,
    providers: deps.providers.names(),
    ...(deps.caps ? { caps: deps.caps } : {}),
  });
  if (!validation.ok) {
    const first = validation.issues[0];
    return { invalid: `invalid workflow: ${first?.path ? `${first.path}: ` : ""}${first?.message ?? "invalid"}` };
  }
  const { workflow, compiled } = validation;
  const limits = { ...DEFAULT_LIMITS, ...workflow.limits };
  const steps = await createStepRows(deps.prisma, run.id, workflow);
  const startedAt = run.startedAt ?? new Date();
  if (!(await startRun(deps.prisma, run.id, startedAt))) return { ended: true };
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
  } else if (run.status === "running") {
    recorder.emit("log", null, { level: "info", message: "resuming after the previous executor stopped" });
  }
  return {
    projectId: run.workflow.projectId,
    workflow,
    compiled,
    limits,
    stepIds: new Map(steps.map((s) => [s.nodeId, s.id])),
    inputVars,
    startedAt,
    budget: budgetFrom(limits, steps),
    bindings: await bindingsOf(deps.prisma, run.workflowId),
    ...(await rerunOf(deps, run)),
    trace: traceOf(run.id, run.traceParent),
  };
}

function traceOf(runId: string, traceParent: string | null): PreparedRun["trace"] {
  const parent = parseTraceParent(traceParent);
  return { traceId: runTraceId(runId, parent), flags: parent ? parent.flags & 1 : 1 };
}

async function createStepRows(prisma: PrismaClient, runId: string, workflow: Workflow) {
  await prisma.runStep.createMany({
    data: workflow.nodes.map((n) => ({ runId, nodeId: n.id, nodeType: n.type })),
    skipDuplicates: true,
  });
  return prisma.runStep.findMany({ where: { runId } });
}

/** Budgets continue from what finished steps already used (resume). */
export function budgetFrom(
  limits: { maxTokens: number; maxCostCents?: number | undefined },
  steps: readonly {
    status: string;
    tokensInput: number;
    tokensOutput: number;
    costCents: { toFixed(n: number): string } | null;
  }[],
): RunBudget {
  const budget = new RunBudget(
    limits.maxTokens,
    limits.maxCostCents !== undefined ? Cents.parse(String(limits.maxCostCents)) : null,
  );
  for (const s of steps) {
    if (s.status !== "succeeded") continue;
    budget.tokensUsed += s.tokensInput + s.tokensOutput;
    if (s.costCents) budget.costUsed = budget.costUsed.add(Cents.parse(s.costCents.toFixed(12)));
  }
  return budget;
}

async function bindingsOf(prisma: PrismaClient, workflowId: string) {
  const rows = await prisma.providerBinding.findMany({ where: { workflowId } });
  return new Map(rows.map((b) => [b.provider, { model: b.model, temperature: b.temperature }]));
}

/** A re-run's stored plan, parsed once: what it reuses, and (for a replay) the parent's recording. */
async function rerunOf(
  deps: EngineDeps,
  run: RunRow,
): Promise<{ rerun: PreparedRun["rerun"]; replay: ReplayBook | null }> {
  if (!run.parentRunId || !run.rerunPlan) return { rerun: null, replay: null };
  const plan = rerunPlanSchema.parse(run.rerunPlan);
  return {
    rerun: {
      parentRunId: run.parentRunId,
      reuse: new Map(plan.reuse.map((r) => [r.nodeId, r.sourceStepId])),
      useCache: plan.useCache,
    },
    replay: plan.mode === "replay" ? await loadReplayBook(deps.prisma, run.parentRunId) : null,
  };
}
