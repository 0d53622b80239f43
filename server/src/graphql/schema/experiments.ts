/**
 * Experiments in GraphQL: `experiment(id)` (with its items, scores and summary), a workflow's
 * `experiments`, an experiment's `comparison` with another, and `startExperiment` /
 * `cancelExperiment`. Arguments are parsed with the REST route's schema (services/eval-inputs.ts);
 * the shapes are the evals contract's. Money is a Decimal of US cents.
 */
import type {
  ExperimentDetailJson,
  ExperimentItemJson,
  ExperimentJson,
  ExperimentSummary,
} from "@flowtrace/contract/evals";
import type { Uuid } from "../../domain/ids.ts";
import { experimentBody, parseInput } from "../../services/eval-inputs.ts";
import {
  cancelExperiment,
  compareExperimentsById,
  getExperiment,
  listExperiments,
  startExperiment,
} from "../../services/experiments.ts";
import { nullWhenMissing, withoutNulls } from "../args.ts";
import { builder } from "../builder.ts";
import { existingId, lookupId } from "../ids.ts";
import { ConflictError, InvalidRequestError, InvalidWorkflowError, NotFoundError } from "./errors.ts";
import { runDeps } from "./run.ts";
import { WorkflowType } from "./workflow.ts";

const ScoreType = builder.objectRef<ExperimentItemJson["scores"][number]>("Score").implement({
  description: "One scorer's verdict on one item.",
  fields: (t) => ({
    scorer: t.exposeString("scorer"),
    pass: t.exposeBoolean("pass"),
    score: t.exposeFloat("score", { description: "0..1" }),
    reason: t.exposeString("reason"),
  }),
});

const ExperimentItemType = builder.objectRef<ExperimentItemJson>("ExperimentItem").implement({
  description: "One dataset item's run in an experiment, and how it scored.",
  fields: (t) => ({
    itemId: t.id({
      description: "The dataset item's id (how two experiments are matched).",
      resolve: (i) => i.item_id,
    }),
    position: t.exposeInt("position"),
    inputVars: t.field({ type: "JSON", resolve: (i) => i.input_vars }),
    expected: t.field({ type: "JSON", nullable: true, resolve: (i) => i.expected ?? null }),
    runId: t.id({ nullable: true, resolve: (i) => i.run_id }),
    status: t.exposeString("status", { description: "pending, canceled, or the run's status." }),
    scored: t.exposeBoolean("scored"),
    passed: t.exposeBoolean("passed", { nullable: true, description: "null until scored." }),
    output: t.field({ type: "JSON", nullable: true, resolve: (i) => i.output ?? null }),
    scores: t.field({ type: [ScoreType], resolve: (i) => i.scores }),
    costCents: t.field({
      type: "Decimal",
      nullable: true,
      description: "null when unknown or not run.",
      resolve: (i) => i.cost_cents,
    }),
    costComplete: t.exposeBoolean("cost_complete"),
    latencyMs: t.exposeInt("latency_ms", { nullable: true, description: "Active wall time (approval waits aside)." }),
    tokens: t.exposeInt("tokens"),
    cacheHits: t.exposeInt("cache_hits"),
    judgeTokens: t.exposeInt("judge_tokens"),
    judgeCostCents: t.field({ type: "Decimal", resolve: (i) => i.judge_cost_cents }),
    judgeCostComplete: t.exposeBoolean("judge_cost_complete"),
    error: t.exposeString("error", { nullable: true }),
  }),
});

const ExperimentSummaryType = builder.objectRef<ExperimentSummary>("ExperimentSummary").implement({
  description: "An experiment's totals. Costs are lower bounds when a `…Complete` flag is false.",
  fields: (t) => ({
    items: t.exposeInt("items"),
    scored: t.exposeInt("scored"),
    passed: t.exposeInt("passed"),
    passRate: t.exposeFloat("pass_rate", {
      nullable: true,
      description: "passed / scored; null before any is scored.",
    }),
    scores: t.field({ type: "JSON", description: "Each scorer's mean score: {name: 0..1}.", resolve: (s) => s.scores }),
    totalCostCents: t.field({ type: "Decimal", resolve: (s) => s.total_cost_cents }),
    costComplete: t.exposeBoolean("cost_complete"),
    totalTokens: t.exposeInt("total_tokens"),
    p50LatencyMs: t.exposeFloat("p50_latency_ms", { nullable: true }),
    p95LatencyMs: t.exposeFloat("p95_latency_ms", { nullable: true }),
    cacheHits: t.exposeInt("cache_hits"),
    failedRuns: t.exposeInt("failed_runs"),
    judgeTokens: t.exposeInt("judge_tokens", { description: "Not part of totalTokens." }),
    judgeCostCents: t.field({
      type: "Decimal",
      description: "Not part of totalCostCents.",
      resolve: (s) => s.judge_cost_cents,
    }),
    judgeCostComplete: t.exposeBoolean("judge_cost_complete"),
  }),
});

const ExperimentStatusEnum = builder.enumType("ExperimentStatus", {
  values: ["queued", "running", "succeeded", "failed", "canceled"] as const,
});

export const ExperimentType = builder.objectRef<ExperimentJson | ExperimentDetailJson>("Experiment").implement({
  description: "A workflow version run on every item of a dataset, each run scored.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    workflowId: t.id({ resolve: (e) => e.workflow_id }),
    workflowVersion: t.exposeInt("workflow_version"),
    datasetId: t.id({
      nullable: true,
      description: "null when the dataset was deleted.",
      resolve: (e) => e.dataset_id,
    }),
    status: t.field({ type: ExperimentStatusEnum, resolve: (e) => e.status }),
    scorers: t.field({
      type: "JSON",
      description: "The scorers, as given (see the REST body).",
      resolve: (e) => e.scorers,
    }),
    concurrency: t.exposeInt("concurrency"),
    errorSummary: t.exposeString("error_summary", { nullable: true }),
    createdAt: t.field({ type: "DateTime", resolve: (e) => new Date(e.created_at) }),
    startedAt: t.field({ type: "DateTime", nullable: true, resolve: (e) => dateOrNull(e.started_at) }),
    finishedAt: t.field({ type: "DateTime", nullable: true, resolve: (e) => dateOrNull(e.finished_at) }),
    summary: t.field({ type: ExperimentSummaryType, resolve: (e) => e.summary }),
    items: t.field({
      type: [ExperimentItemType],
      description: "Every item in dataset order.",
      resolve: async (e, _args, ctx) => ("items" in e ? e.items : (await getExperiment(ctx.deps, e.id as Uuid)).items),
    }),
    comparison: t.field({
      type: "JSON",
      nullable: true,
      description:
        "Item by item against another experiment on the same dataset: regressions, fixes, score, cost and latency deltas (the evals contract's ExperimentComparison); null when `against` does not exist.",
      args: { against: t.arg.id({ required: true }).validate(lookupId) },
      resolve: (e, { against }, ctx) =>
        against ? compareExperimentsById(ctx.deps, e.id as Uuid, against).catch(nullWhenMissing) : null,
    }),
  }),
});

const dateOrNull = (iso: string | null) => (iso === null ? null : new Date(iso));

builder.objectField(WorkflowType, "experiments", (t) =>
  t.field({
    type: [ExperimentType],
    description: "The workflow's experiments, newest first (at most 200), each with its summary.",
    resolve: (w, _args, ctx) => listExperiments(ctx.deps, w.id as Uuid),
  }),
);

builder.queryFields((t) => ({
  experiment: t.field({
    type: ExperimentType,
    nullable: true,
    args: { id: t.arg.id({ required: true }).validate(lookupId) },
    resolve: (_root, { id }, ctx) => (id ? getExperiment(ctx.deps, id).catch(nullWhenMissing) : null),
  }),
}));

builder.mutationFields((t) => ({
  startExperiment: t.field({
    type: ExperimentType,
    description: "Run a workflow version (default: current) on every item of a dataset and score each run.",
    errors: { types: [NotFoundError, InvalidRequestError, InvalidWorkflowError] },
    args: {
      workflowId: t.arg.id({ required: true }).validate(existingId("workflow")),
      datasetId: t.arg.id({ required: true }).validate(existingId("dataset")),
      scorers: t.arg({ type: "JSON", required: true, description: "A list of scorers (see the REST body)." }),
      version: t.arg.int(),
      concurrency: t.arg.int(),
      name: t.arg.string(),
    },
    resolve: async (_root, { workflowId, datasetId, ...args }, ctx) => {
      const b = parseInput(experimentBody, { dataset_id: datasetId, ...withoutNulls(args) }, "experiment");
      const experiment = await startExperiment(runDeps(ctx), {
        workflowId,
        datasetId,
        version: b.version,
        scorers: b.scorers,
        concurrency: b.concurrency,
        name: b.name,
      });
      return getExperiment(ctx.deps, experiment.id as Uuid);
    },
  }),
  cancelExperiment: t.field({
    type: ExperimentType,
    description: "Stop it: pending items are canceled, runs in flight canceled, scored items kept.",
    errors: { types: [NotFoundError, ConflictError] },
    args: { id: t.arg.id({ required: true }).validate(existingId("experiment")) },
    resolve: (_root, { id }, ctx) => cancelExperiment(runDeps(ctx), id),
  }),
}));
