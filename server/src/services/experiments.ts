/**
 * Experiment use cases: start one (a workflow version over a dataset, with scorers), read it with
 * its items and summary (recomputed from the runs each time), list a workflow's, cancel, and compare
 * two item by item. The items run in the worker (services/experiment-driver.ts).
 */

import type { ExperimentDetailJson, ExperimentItemJson, ExperimentJson } from "@flowtrace/contract/evals";
import type { Experiment, ExperimentItem, PrismaClient, WorkflowRun } from "../db/prisma.ts";
import { type Scorer, scorersSchema } from "../domain/eval/scorers.ts";
import { compareExperiments, summarize } from "../domain/eval/summary.ts";
import type { Uuid } from "../domain/ids.ts";
import { centsText } from "../domain/pricing/money.ts";
import type { ValidationIssue } from "../domain/workflow/validate.ts";
import { validateWorkflow } from "../domain/workflow/validate.ts";
import type { JobQueue } from "../queue/queue.ts";
import { toolCatalog } from "../tools/registry.ts";
import {
  ConflictError,
  cancelRun,
  InvalidRequestError,
  InvalidWorkflowError,
  NotFoundError,
  type RunServiceDeps,
} from "./runs.ts";
import { getWorkflow } from "./workflows.ts";

export interface StartExperimentInput {
  workflowId: Uuid;
  datasetId: Uuid;
  version?: number | undefined;
  scorers: Scorer[];
  concurrency?: number | undefined;
  name?: string | undefined;
}

/** Validate, copy the dataset's items, and hand the experiment to the queue. */
export async function startExperiment(deps: RunServiceDeps, input: StartExperimentInput) {
  const workflow = await getWorkflow(deps, input.workflowId);
  const version = input.version ?? workflow.version;
  const doc = await documentOf(deps, input.workflowId, version);
  const validation = validateWorkflow(doc, { tools: toolCatalog, providers: deps.providerNames() });
  if (!validation.ok) throw new InvalidWorkflowError(validation.issues);
  checkScorers(input.scorers, doc, deps.providerNames());
  const dataset = await deps.prisma.dataset.findUnique({
    where: { id: input.datasetId },
    include: { items: { orderBy: { position: "asc" } } },
  });
  if (!dataset) throw new NotFoundError(`dataset ${input.datasetId} does not exist`);
  if (dataset.items.length === 0) {
    throw new InvalidRequestError("the dataset is empty", [
      { path: "dataset_id", message: `dataset ${dataset.name} has no items` },
    ]);
  }
  const experiment = await deps.prisma.experiment.create({
    data: {
      workflowId: workflow.id,
      datasetId: dataset.id,
      name: input.name ?? `${workflow.name} v${version} on ${dataset.name}`,
      workflowVersion: version,
      graphSnapshot: doc as object,
      scorers: input.scorers as object,
      concurrency: input.concurrency ?? 4,
      items: {
        createMany: {
          data: dataset.items.map((i) => ({
            datasetItemId: i.id,
            position: i.position,
            inputVars: i.inputVars as object,
            ...(i.expected !== null ? { expected: i.expected as object } : {}),
          })),
        },
      },
    },
  });
  // Should the queue be away, the experiment stays queued and the stale sweep hands it over later.
  await deps.queue
    .enqueue("experiments", { experimentId: experiment.id }, { jobId: experiment.id })
    .catch(() => undefined);
  return experiment;
}

async function documentOf(deps: { prisma: PrismaClient }, workflowId: Uuid, version: number) {
  const row = await deps.prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId, version } } });
  if (!row)
    throw new InvalidRequestError("no such version", [
      { path: "version", message: `workflow ${workflowId} has no version ${version}` },
    ]);
  return row.graphJson as Record<string, unknown>;
}

/** Scorers must read nodes the document has and judge with providers that are configured. */
function checkScorers(scorers: Scorer[], doc: Record<string, unknown>, providers: string[]) {
  const nodes = new Set(((doc.nodes as { id?: unknown }[] | undefined) ?? []).map((n) => n.id));
  const issues: ValidationIssue[] = [];
  scorers.forEach((s, i) => {
    if (s.node !== undefined && !nodes.has(s.node)) {
      issues.push({ path: `scorers[${i}].node`, message: `the workflow has no node ${s.node}` });
    }
    if (s.type === "llm_judge" && !providers.includes(s.provider)) {
      issues.push({ path: `scorers[${i}].provider`, message: `expected one of ${providers.join(", ")}` });
    }
  });
  if (issues.length) throw new InvalidRequestError("invalid scorers", issues);
}

const RUN_FIELDS = {
  select: {
    status: true,
    totalCostCents: true,
    costComplete: true,
    totalTokens: true,
    startedAt: true,
    finishedAt: true,
    waitedMs: true,
    errorSummary: true,
  },
} as const;
type ItemRun = Pick<WorkflowRun, keyof (typeof RUN_FIELDS)["select"]>;
type ItemRow = ExperimentItem & { run: ItemRun | null };

/** The run's active wall time: from start to end, minus the time it waited for approvals. */
export function activeLatencyMs(run: Pick<ItemRun, "startedAt" | "finishedAt" | "waitedMs">): number | null {
  if (!run.startedAt || !run.finishedAt) return null;
  return Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime() - run.waitedMs);
}

export function serializeItem(row: ItemRow, cacheHits: number): ExperimentItemJson {
  const run = row.run;
  return {
    item_id: row.datasetItemId ?? row.id,
    position: row.position,
    input_vars: row.inputVars as Record<string, unknown>,
    ...(row.expected !== null ? { expected: row.expected } : {}),
    run_id: row.runId,
    status: row.status === "pending" || row.status === "canceled" || !run ? row.status : run.status,
    scored: row.status === "scored",
    passed: row.passed,
    ...(row.status === "scored" ? { output: row.output } : {}),
    scores: (row.scores as ExperimentItemJson["scores"] | null) ?? [],
    cost_cents: run ? centsText(run.totalCostCents) : null,
    cost_complete: run ? run.costComplete : true,
    latency_ms: run ? activeLatencyMs(run) : null,
    tokens: run?.totalTokens ?? 0,
    cache_hits: cacheHits,
    judge_tokens: row.judgeTokens,
    judge_cost_cents: centsText(row.judgeCostCents),
    judge_cost_complete: row.judgeCostComplete,
    error: run?.errorSummary ?? null,
  };
}

export function serializeExperiment(e: Experiment, items: ExperimentItemJson[]): ExperimentJson {
  return {
    id: e.id,
    name: e.name,
    workflow_id: e.workflowId,
    workflow_version: e.workflowVersion,
    dataset_id: e.datasetId,
    status: e.status,
    scorers: scorersSchema.parse(e.scorers),
    concurrency: e.concurrency,
    error_summary: e.errorSummary,
    created_at: e.createdAt.toISOString(),
    started_at: e.startedAt?.toISOString() ?? null,
    finished_at: e.finishedAt?.toISOString() ?? null,
    summary: summarize(items),
  };
}

async function cacheHitsByRun(deps: { prisma: PrismaClient }, runIds: string[]): Promise<Map<string, number>> {
  if (runIds.length === 0) return new Map();
  const groups = await deps.prisma.traceEvent.groupBy({
    by: ["runId"],
    where: { runId: { in: runIds }, kind: "cache.hit" },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.runId, g._count._all]));
}

async function itemsOf(deps: { prisma: PrismaClient }, experimentIds: string[]) {
  const rows = await deps.prisma.experimentItem.findMany({
    where: { experimentId: { in: experimentIds } },
    include: { run: RUN_FIELDS },
    orderBy: [{ experimentId: "asc" }, { position: "asc" }],
  });
  const hits = await cacheHitsByRun(
    deps,
    rows.flatMap((r) => (r.runId ? [r.runId] : [])),
  );
  return rows.map((r) => ({
    experimentId: r.experimentId,
    json: serializeItem(r, r.runId ? (hits.get(r.runId) ?? 0) : 0),
  }));
}

export async function getExperiment(deps: { prisma: PrismaClient }, id: Uuid): Promise<ExperimentDetailJson> {
  const experiment = await deps.prisma.experiment.findUnique({ where: { id } });
  if (!experiment) throw new NotFoundError(`experiment ${id} does not exist`);
  const items = (await itemsOf(deps, [id])).map((i) => i.json);
  return { ...serializeExperiment(experiment, items), items };
}

/** A workflow's experiments, newest first, each with its summary. */
export async function listExperiments(deps: { prisma: PrismaClient }, workflowId: Uuid): Promise<ExperimentJson[]> {
  await getWorkflow(deps, workflowId);
  const experiments = await deps.prisma.experiment.findMany({
    where: { workflowId },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  const items = await itemsOf(
    deps,
    experiments.map((e) => e.id),
  );
  return experiments.map((e) =>
    serializeExperiment(
      e,
      items.filter((i) => i.experimentId === e.id).map((i) => i.json),
    ),
  );
}

/**
 * Stop an experiment: items not started are canceled, runs in flight are canceled, scored items keep
 * their scores. ConflictError when it had already ended.
 */
export async function cancelExperiment(deps: RunServiceDeps, id: Uuid) {
  const updated = await deps.prisma.experiment.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: { status: "canceled", finishedAt: new Date(), errorSummary: "canceled" },
  });
  if (updated.count === 0) {
    const experiment = await deps.prisma.experiment.findUnique({ where: { id } });
    if (!experiment) throw new NotFoundError(`experiment ${id} does not exist`);
    throw new ConflictError(`experiment ${id} already ended with status ${experiment.status}`);
  }
  await deps.prisma.experimentItem.updateMany({
    where: { experimentId: id, status: "pending" },
    data: { status: "canceled" },
  });
  const inFlight = await deps.prisma.experimentItem.findMany({
    where: { experimentId: id, status: "running" },
    select: { runId: true },
  });
  for (const item of inFlight) if (item.runId) await cancelRun(deps, item.runId as Uuid).catch(() => false);
  return getExperiment(deps, id);
}

export async function compareExperimentsById(deps: { prisma: PrismaClient }, id: Uuid, against: Uuid) {
  const [now, before] = await Promise.all([getExperiment(deps, id), getExperiment(deps, against)]);
  return compareExperiments({ experiment: id, against }, before, now);
}

/**
 * Hand unfinished experiments to the queue again (at start-up in embedded mode; every minute in
 * server mode, for a Redis that lost its jobs). The job id is the experiment id: one still in the
 * queue, or being driven, is not added twice.
 */
export async function requeueUnfinishedExperiments(deps: { prisma: PrismaClient; queue: Pick<JobQueue, "enqueue"> }) {
  const open = await deps.prisma.experiment.findMany({
    where: { status: { in: ["queued", "running"] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  for (const e of open) await deps.queue.enqueue("experiments", { experimentId: e.id }, { jobId: e.id });
  return open.map((e) => e.id);
}

/** The queue gave up on an experiment's job: it ends failed, saying why. */
export async function markExperimentLost(deps: { prisma: PrismaClient }, id: string, reason: string) {
  await deps.prisma.experiment.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: {
      status: "failed",
      finishedAt: new Date(),
      errorSummary: `the executor gave up on this experiment: ${reason}`,
    },
  });
}
