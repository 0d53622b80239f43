/**
 * Datasets, experiments, their scorers and their comparison, declared once: the server validates
 * scorers and types its answers with these schemas, and the dashboard types what it reads with them.
 * Field names are the REST ones (snake_case). Money is a decimal string of cents.
 */
import { z } from "zod";
import { unsafeRegexReason } from "./regex.ts";

const common = {
  /** The name the summary reports it under (default: its type, numbered when repeated). */
  name: z.string().min(1).max(100).optional(),
  /** Score this node's output instead of the run's output (the last executed node's). */
  node: z.string().min(1).max(200).optional(),
};

const regexPattern = z
  .string()
  .max(500)
  .superRefine((p, ctx) => {
    const reason = unsafeRegexReason(p);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });

/** An expected tool call: by the name the model called it (or the catalog tool), with arguments it must include. */
const expectedCall = z.strictObject({
  tool: z.string().min(1).max(200),
  args: z.record(z.string(), z.unknown()).optional().describe("Arguments the call must have (others may differ)."),
});

export const scorerSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("exact"), value: z.unknown().optional(), ...common }),
    z.strictObject({
      type: z.literal("contains"),
      value: z.string().max(10_000).optional(),
      case_sensitive: z.boolean().default(false),
      ...common,
    }),
    z.strictObject({ type: z.literal("regex"), value: regexPattern.optional(), ...common }),
    z.strictObject({ type: z.literal("json_schema"), schema: z.record(z.string(), z.unknown()), ...common }),
    z.strictObject({
      type: z.literal("numeric"),
      value: z.number().optional(),
      tolerance: z.number().min(0).default(0),
      ...common,
    }),
    z.strictObject({ type: z.literal("cost_under"), cents: z.number().min(0), ...common }),
    z.strictObject({ type: z.literal("latency_under"), ms: z.number().int().min(0), ...common }),
    z.strictObject({
      type: z.literal("tool_called"),
      tool: z.string().min(1).max(200),
      args: z.record(z.string(), z.unknown()).optional(),
      min: z.int().min(0).default(1),
      max: z.int().min(0).optional(),
      ...common,
    }),
    z.strictObject({
      type: z.literal("trajectory"),
      expected: z.array(expectedCall).min(1).max(100),
      match: z
        .enum(["exact", "in_order", "any_order"], { message: "expected match to be exact, in_order or any_order" })
        .default("in_order")
        .describe(
          "exact: these calls and no others, in order; in_order: these in order, others between; any_order: each of these, anywhere.",
        ),
      ...common,
    }),
    z.strictObject({
      type: z.literal("llm_judge"),
      rubric: z.string().min(1).max(10_000),
      provider: z.string().min(1).max(100).default("openai"),
      model: z.string().min(1).max(200).default("gpt-4o-mini"),
      threshold: z.number().min(0).max(1).default(0.5),
      ...common,
    }),
  ],
  {
    error:
      "expected type to be one of exact, contains, regex, json_schema, numeric, cost_under, latency_under, tool_called, trajectory, llm_judge",
  },
);

export const scorersSchema = z.array(scorerSchema).min(1, "expected at least one scorer").max(20);

const money = z.string().describe("Exact decimal US cents.");

export const datasetItemSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  input_vars: z.record(z.string(), z.unknown()),
  expected: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  source_run_id: z.string().nullable(),
  created_at: z.string(),
});

export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  item_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const scoreSchema = z.object({
  scorer: z.string(),
  pass: z.boolean(),
  score: z.number().describe("0..1"),
  reason: z.string(),
});

export const experimentItemSchema = z.object({
  item_id: z.string().describe("The dataset item's id (how two experiments on one dataset are matched)."),
  position: z.number().int(),
  input_vars: z.record(z.string(), z.unknown()),
  expected: z.unknown().optional(),
  run_id: z.string().nullable(),
  status: z
    .string()
    .describe("pending, canceled, or the run's status (queued, running, waiting, succeeded, failed, canceled)."),
  scored: z.boolean(),
  passed: z.boolean().nullable().describe("null until scored."),
  output: z.unknown().optional(),
  scores: z.array(scoreSchema),
  cost_cents: money.nullable().describe("null when the run's cost is unknown or it has not run."),
  cost_complete: z.boolean(),
  latency_ms: z.number().int().nullable().describe("The run's active wall time (time waiting for approvals aside)."),
  tokens: z.number().int(),
  cache_hits: z.number().int(),
  judge_tokens: z.number().int(),
  judge_cost_cents: money,
  judge_cost_complete: z.boolean().describe("false: a judge's model has no price, judge_cost_cents is a lower bound."),
  error: z.string().nullable(),
});

export const experimentSummarySchema = z.object({
  items: z.number().int(),
  scored: z.number().int(),
  passed: z.number().int(),
  pass_rate: z.number().nullable().describe("passed / scored; null before any item is scored."),
  scores: z.record(z.string(), z.number()).describe("Each scorer's mean score over the scored items."),
  total_cost_cents: money,
  cost_complete: z.boolean().describe("false: a run had an unpriced step, total_cost_cents is a lower bound."),
  total_tokens: z.number().int(),
  p50_latency_ms: z.number().nullable(),
  p95_latency_ms: z.number().nullable(),
  cache_hits: z.number().int(),
  failed_runs: z.number().int(),
  judge_tokens: z.number().int().describe("Tokens the LLM judges used (not part of total_tokens)."),
  judge_cost_cents: money.describe("What the LLM judges cost (not part of total_cost_cents)."),
  judge_cost_complete: z.boolean(),
});

export const experimentSchema = z.object({
  id: z.string(),
  name: z.string(),
  workflow_id: z.string(),
  workflow_version: z.number().int(),
  dataset_id: z.string().nullable(),
  status: z.enum(["queued", "running", "succeeded", "failed", "canceled"]),
  scorers: z.array(scorerSchema),
  concurrency: z.number().int(),
  error_summary: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  summary: experimentSummarySchema,
});

export const experimentDetailSchema = experimentSchema.extend({ items: z.array(experimentItemSchema) });

const delta = z.number().nullable().describe("this experiment minus the other; null when either is unknown");

export const itemComparisonSchema = z.object({
  item_id: z.string(),
  position: z.number().int(),
  input_vars: z.record(z.string(), z.unknown()),
  passed: z.tuple([z.boolean().nullable(), z.boolean().nullable()]).describe("[against, this experiment]"),
  change: z.enum(["regression", "fix", "same", "new", "missing"]),
  score_deltas: z.record(z.string(), delta),
  output_changed: z.boolean(),
  output: z.tuple([z.unknown(), z.unknown()]).describe("[against, this experiment]"),
  cost_delta_cents: money.nullable(),
  latency_delta_ms: delta,
  run_ids: z.tuple([z.string().nullable(), z.string().nullable()]),
});

export const experimentComparisonSchema = z.object({
  experiment_id: z.string(),
  against: z.string(),
  items: z.array(itemComparisonSchema),
  summary: z.object({
    pass_rate: z.tuple([z.number().nullable(), z.number().nullable()]),
    pass_rate_delta: delta,
    score_deltas: z.record(z.string(), delta),
    total_cost_delta_cents: money,
    p50_latency_delta_ms: delta,
    p95_latency_delta_ms: delta,
  }),
  regressions: z.array(z.string()).describe("item ids that passed before and fail now"),
  fixes: z.array(z.string()).describe("item ids that failed before and pass now"),
});

export type Scorer = z.infer<typeof scorerSchema>;
export type DatasetItemJson = z.infer<typeof datasetItemSchema>;
export type DatasetJson = z.infer<typeof datasetSchema>;
export type ExperimentItemJson = z.infer<typeof experimentItemSchema>;
export type ExperimentSummary = z.infer<typeof experimentSummarySchema>;
export type ExperimentJson = z.infer<typeof experimentSchema>;
export type ExperimentDetailJson = z.infer<typeof experimentDetailSchema>;
export type ItemComparison = z.infer<typeof itemComparisonSchema>;
export type ExperimentComparison = z.infer<typeof experimentComparisonSchema>;
