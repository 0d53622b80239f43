/** `Workflow.metrics(range:)`: the workflow metrics page's figures for other GraphQL consumers. */

import type {
  MetricsBucketRow,
  MetricsTotals,
  ModelCostRow,
  NodeMetricsRow,
  WorkflowMetrics,
} from "../../services/workflow-metrics.ts";
import { builder } from "../builder.ts";

export const RangeEnum = builder.enumType("MetricsRange", {
  description: "24 hourly buckets (H24), or 7 / 30 daily buckets (D7, D30); UTC.",
  values: { H24: { value: "24h" }, D7: { value: "7d" }, D30: { value: "30d" } } as const,
});

const BucketType = builder.objectRef<MetricsBucketRow>("MetricsBucket").implement({
  description: "The runs created in one bucket (an hour or a day, UTC).",
  fields: (t) => ({
    start: t.expose("start", { type: "DateTime" }),
    runs: t.exposeInt("runs"),
    succeeded: t.exposeInt("succeeded"),
    failed: t.exposeInt("failed"),
    canceled: t.exposeInt("canceled"),
    active: t.exposeInt("active", { description: "Still queued, running or waiting for an approval." }),
    p50LatencyMs: t.exposeInt("p50LatencyMs", {
      nullable: true,
      description: "Active run time (approval waits excluded) of the ended runs.",
    }),
    p95LatencyMs: t.exposeInt("p95LatencyMs", { nullable: true }),
  }),
});

const ModelCostType = builder.objectRef<ModelCostRow>("ModelCost").implement({
  description: "What one model's answers cost in one bucket (cache hits and reused steps cost nothing).",
  fields: (t) => ({
    start: t.expose("start", { type: "DateTime" }),
    model: t.exposeString("model", {
      description: 'provider/model, or "unknown model" for steps stored before it was recorded.',
    }),
    costCents: t.expose("costCents", { type: "Decimal", description: "Exact; excludes unpriced steps." }),
    steps: t.exposeInt("steps"),
    unpricedSteps: t.exposeInt("unpricedSteps", {
      description: "Steps whose model has no price: their cost is unknown.",
    }),
  }),
});

const TotalsType = builder.objectRef<MetricsTotals>("MetricsTotals").implement({
  description: "The whole range's figures. Rates are fractions of 1, null when nothing could have happened.",
  fields: (t) => ({
    runs: t.exposeInt("runs"),
    succeeded: t.exposeInt("succeeded"),
    failed: t.exposeInt("failed"),
    p50LatencyMs: t.exposeInt("p50LatencyMs", { nullable: true }),
    p95LatencyMs: t.exposeInt("p95LatencyMs", { nullable: true }),
    costCents: t.expose("costCents", { type: "Decimal", description: "A lower bound when unpricedSteps > 0." }),
    unpricedSteps: t.exposeInt("unpricedSteps"),
    llmSteps: t.exposeInt("llmSteps", { description: "Succeeded LLM steps (cache hits included, reused excluded)." }),
    cacheHits: t.exposeInt("cacheHits"),
    cacheHitRate: t.exposeFloat("cacheHitRate", { nullable: true }),
    savedCents: t.expose("savedCents", { type: "Decimal", description: "What the cache hits' original calls cost." }),
    unpricedSavings: t.exposeInt("unpricedSavings", { description: "Cache hits whose saving is unknown (no price)." }),
    executedSteps: t.exposeInt("executedSteps", { description: "LLM and tool steps that called out." }),
    stepsWithRetries: t.exposeInt("stepsWithRetries"),
    retryRate: t.exposeFloat("retryRate", { nullable: true }),
    executedLlmSteps: t.exposeInt("executedLlmSteps"),
    stepsWithFallbacks: t.exposeInt("stepsWithFallbacks"),
    fallbackRate: t.exposeFloat("fallbackRate", { nullable: true }),
  }),
});

const NodeMetricsType = builder.objectRef<NodeMetricsRow>("NodeMetrics").implement({
  description: "One node's steps over the range (ended steps only).",
  fields: (t) => ({
    nodeId: t.exposeString("nodeId"),
    nodeType: t.exposeString("nodeType"),
    runs: t.exposeInt("runs"),
    failures: t.exposeInt("failures"),
    failureRate: t.exposeFloat("failureRate", { nullable: true }),
    p95LatencyMs: t.exposeInt("p95LatencyMs", { nullable: true }),
    meanCostCents: t.expose("meanCostCents", {
      type: "Decimal",
      nullable: true,
      description: "Over the priced steps; null when none had a price.",
    }),
    pricedRuns: t.exposeInt("pricedRuns"),
    slowestRunId: t.exposeID("slowestRunId", { nullable: true }),
    mostExpensiveRunId: t.exposeID("mostExpensiveRunId", { nullable: true }),
  }),
});

export const MetricsType = builder.objectRef<WorkflowMetrics>("WorkflowMetrics").implement({
  description: "A workflow's runs, latency, cost, cache and reliability over a range.",
  fields: (t) => ({
    range: t.field({ type: RangeEnum, resolve: (m) => m.window.range }),
    bucket: t.string({ description: '"hour" or "day".', resolve: (m) => m.window.bucket }),
    from: t.field({ type: "DateTime", resolve: (m) => m.window.from }),
    to: t.field({ type: "DateTime", resolve: (m) => m.window.to }),
    totals: t.field({ type: TotalsType, resolve: (m) => m.totals }),
    series: t.field({
      type: [BucketType],
      description: "Every bucket, empty ones included.",
      resolve: (m) => m.series,
    }),
    costByModel: t.field({ type: [ModelCostType], resolve: (m) => m.costByModel }),
    nodes: t.field({ type: [NodeMetricsType], resolve: (m) => m.nodes }),
  }),
});
