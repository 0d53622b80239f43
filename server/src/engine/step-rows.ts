/**
 * The step row's writes on a step's hot path, as SQL the trace recorder sends in the same statement
 * as the step's events (`TraceRecorder.writeStepRow`): one round trip makes a step's row and its
 * events durable together, and whoever is shown an event can read the row it speaks of.
 */
import { Prisma } from "../db/prisma.ts";
import type { StepResult } from "./step-context.ts";

/** `running` — never over a finished step: a second executor must not reopen what the first closed. */
export function runningMark(stepId: string, startedAt: Date): Prisma.Sql {
  return Prisma.sql`UPDATE run_steps
    SET status = 'running'::step_status, started_at = ${startedAt.toISOString()}::timestamptz, error = NULL
    WHERE id = ${stepId}::uuid AND status IN ('queued', 'running', 'waiting')`;
}

const numericOrNull = (value: { toString(): string } | null | undefined) =>
  value === null || value === undefined ? null : value.toString();

/** The finished step: figures, cost at the price used, and the full output (JSON null when none). */
export function finishedRow(
  stepId: string,
  done: { result: StepResult; output: unknown; latencyMs: number; finishedAt: Date },
): Prisma.Sql {
  const { result } = done;
  const output = done.output === undefined ? "null" : JSON.stringify(done.output);
  return Prisma.sql`UPDATE run_steps SET
      status = 'succeeded'::step_status,
      finished_at = ${done.finishedAt.toISOString()}::timestamptz,
      latency_ms = ${done.latencyMs}::int,
      tokens_input = ${result.tokensInput}::int,
      tokens_output = ${result.tokensOutput}::int,
      tokens_reasoning = ${result.tokensReasoning ?? 0}::int,
      usage_source = ${result.usageSource ?? "provider"},
      cost_cents = ${numericOrNull(result.cost)}::numeric,
      model = ${result.model ?? null}::text,
      cached = ${result.cached}::boolean,
      saved_cost_cents = ${numericOrNull(result.savedCostCents)}::numeric,
      output = ${output}::jsonb
    WHERE id = ${stepId}::uuid`;
}
