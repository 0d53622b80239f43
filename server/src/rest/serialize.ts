/** Database rows → the spec's snake_case JSON. Money stays a decimal string (exact). */

import { centsText } from "../domain/pricing/money.ts";
import type { RunDiff } from "../domain/run-diff.ts";
import type { TraceEvent } from "../domain/trace/events.ts";
import type { PendingApproval } from "../services/approvals.ts";

type Decimalish = { toString(): string } | null;
const money = (d: Decimalish) => (d === null ? null : centsText(d));

export function serializeWorkflow(w: {
  id: string;
  ownerId: string | null;
  name: string;
  description: string | null;
  graphJson: unknown;
  version: number;
  exposeAsTool: boolean;
  createdAt: Date;
  updatedAt: Date;
}) {
  return {
    id: w.id,
    owner_id: w.ownerId,
    name: w.name,
    description: w.description,
    graph_json: w.graphJson,
    expose_as_tool: w.exposeAsTool,
    version: w.version,
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
  };
}

export function serializeRun(r: {
  id: string;
  workflowId: string;
  triggeredBy: string | null;
  status: string;
  inputVars: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  totalTokens: number;
  totalCostCents: Decimalish;
  totalLatencyMs: number;
  costComplete: boolean;
  unpricedSteps: number;
  errorSummary: string | null;
  workflowVersion: number | null;
  parentRunId: string | null;
  parentStepId?: string | null;
  rerunFromNode: string | null;
  savedCostCents: Decimalish;
  waitedMs: number;
  tracePrunedAt?: Date | null;
  endUserId?: string | null;
  sessionId?: string | null;
  tags?: string[];
}) {
  return {
    id: r.id,
    workflow_id: r.workflowId,
    triggered_by: r.triggeredBy,
    user_id: r.endUserId ?? null,
    session_id: r.sessionId ?? null,
    tags: r.tags ?? [],
    status: r.status,
    input_vars: r.inputVars,
    created_at: r.createdAt.toISOString(),
    started_at: r.startedAt?.toISOString() ?? null,
    finished_at: r.finishedAt?.toISOString() ?? null,
    total_tokens: r.totalTokens,
    total_cost_cents: money(r.totalCostCents),
    total_latency_ms: r.totalLatencyMs,
    cost_complete: r.costComplete,
    unpriced_steps: r.unpricedSteps,
    error_summary: r.errorSummary,
    workflow_version: r.workflowVersion,
    parent_run_id: r.parentRunId,
    parent_step_id: r.parentStepId ?? null,
    rerun_from_node: r.rerunFromNode,
    saved_cost_cents: money(r.savedCostCents),
    waited_ms: r.waitedMs,
    trace_pruned_at: r.tracePrunedAt?.toISOString() ?? null,
  };
}

/** A pending approval, as the approvals list and a waiting run show it. */
export function serializeApproval(a: PendingApproval) {
  return {
    id: a.id,
    run_id: a.runId,
    workflow_id: a.run.workflowId,
    workflow_name: a.run.workflow.name,
    node_id: a.nodeId,
    step_id: a.stepId,
    status: a.status,
    message: a.message,
    inputs: a.inputs,
    since: a.requestedAt.toISOString(),
    deadline: a.deadline?.toISOString() ?? null,
    on_timeout: a.onTimeout,
    kind: a.kind,
    ...(a.kind === "tool" ? { tool: a.tool, args: a.args } : {}),
    ...(a.kind === "budget"
      ? { spent_cents: a.spentCents?.toString() ?? null, limit_cents: a.limitCents?.toString() ?? null }
      : {}),
  };
}

export function serializeStep(s: {
  id: string;
  runId: string;
  nodeId: string;
  nodeType: string;
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  latencyMs: number | null;
  tokensInput: number;
  tokensOutput: number;
  tokensReasoning: number;
  usageSource: string;
  costCents: Decimalish;
  error: string | null;
  reused: boolean;
  sourceStepId: string | null;
}) {
  return {
    id: s.id,
    run_id: s.runId,
    node_id: s.nodeId,
    node_type: s.nodeType,
    status: s.status,
    started_at: s.startedAt?.toISOString() ?? null,
    finished_at: s.finishedAt?.toISOString() ?? null,
    latency_ms: s.latencyMs,
    tokens_input: s.tokensInput,
    tokens_output: s.tokensOutput,
    tokens_reasoning: s.tokensReasoning,
    usage_source: s.usageSource,
    cost_cents: money(s.costCents),
    error: s.error,
    reused: s.reused,
    source_step_id: s.sourceStepId,
  };
}

/** The spec's SSE/trace event shape: `{ts, kind, step_id, payload}` plus `seq`. */
export function serializeEvent(e: Pick<TraceEvent, "seq" | "ts" | "kind" | "stepId" | "payload">) {
  return { seq: e.seq, ts: e.ts, kind: e.kind, step_id: e.stepId, payload: e.payload };
}

/**
 * The SSE `data` of an event, serialised once per event object: live events reach every subscriber
 * of a run as the same object (one parse per pub/sub message), so 500 readers of a run share one
 * string instead of building 500.
 */
const eventJson = new WeakMap<object, string>();
export function serializedEventJson(e: TraceEvent): string {
  let json = eventJson.get(e);
  if (json === undefined) {
    json = JSON.stringify(serializeEvent(e));
    eventJson.set(e, json);
  }
  return json;
}

export function serializeVersion(v: { version: number; createdAt: Date; message: string | null }) {
  return { version: v.version, created_at: v.createdAt.toISOString(), message: v.message };
}

/** A re-run's answer: its id, the steps it reuses, and the ones it executes with the reason. */
export function serializeRerun(
  runId: string,
  plan: { reuse: string[]; execute: { nodeId: string; reason: string }[] },
) {
  return {
    runId,
    reused: plan.reuse,
    executed: plan.execute.map((e) => ({ node_id: e.nodeId, reason: e.reason })),
  };
}

/** The run diff in the API's snake_case; pairs are `[against, this run]`. */
export function serializeRunDiff(d: RunDiff) {
  return {
    steps: d.steps.map((s) => ({
      node_id: s.nodeId,
      presence: s.presence,
      status: s.status,
      output_changed: s.outputChanged,
      output_diff: s.outputDiff,
      config_changed: s.configChanged,
      config_diff: s.configDiff,
      branch: s.branch,
      tokens: s.tokens,
      cost_cents: s.costCents,
      latency_ms: s.latencyMs,
      reused: s.reused,
    })),
    totals: {
      status: d.totals.status,
      tokens: d.totals.tokens,
      cost_cents: d.totals.costCents,
      cost_complete: d.totals.costComplete,
      latency_ms: d.totals.latencyMs,
    },
  };
}
