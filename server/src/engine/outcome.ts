/**
 * What an error means for a step and for its run: one pure mapping, exhaustive over the errors the
 * engine knows. Everything else is an internal error, reported as such.
 */

import { ExpressionRuntimeError } from "../domain/expression/evaluate.ts";
import { HandoffError } from "../domain/handoff.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { TemplateError } from "../domain/workflow/templates.ts";
import { ToolError } from "../tools/types.ts";
import { LimitExceededError } from "./budget.ts";
import { AgentError } from "./kinds/agent/errors.ts";
import { CodeError } from "./kinds/code/handler.ts";
import { ApprovalTimedOutError, CanceledError, ReplayMissError } from "./run-errors.ts";

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The step.failed event's `kind`: provider.<kind>, tool, template, expression, limit.<kind>, replay.miss, approval.timeout, agent.max_iterations, agent.output_invalid, output.invalid, canceled or internal. */
export function errorKind(error: unknown): string {
  if (error instanceof ProviderError) return `provider.${error.kind}`;
  if (error instanceof ToolError) return "tool";
  if (error instanceof TemplateError) return "template";
  if (error instanceof ExpressionRuntimeError) return "expression";
  if (error instanceof LimitExceededError) return `limit.${error.limit}`;
  if (error instanceof AgentError) return error.kind;
  if (error instanceof CodeError) return error.kind;
  if (error instanceof ReplayMissError) return "replay.miss";
  if (error instanceof ApprovalTimedOutError) return "approval.timeout";
  if (error instanceof CanceledError) return "canceled";
  return "internal";
}

/** A step stopped by `reason` (the run's stop reason when there is one, else its own error). */
export function stepStatusFor(reason: unknown, error: unknown): "canceled" | "failed" {
  const canceled =
    reason instanceof CanceledError ||
    (error instanceof ProviderError && error.kind === "canceled" && reason instanceof CanceledError);
  return canceled ? "canceled" : "failed";
}

/** How a run ends for an error that stopped it (hand-offs and outages are not endings: see executor). */
export function runOutcomeFor(reason: unknown): { status: "failed" | "canceled"; summary: string } {
  if (reason instanceof CanceledError) return { status: "canceled", summary: "canceled" };
  if (reason instanceof LimitExceededError) return { status: "failed", summary: reason.summary };
  const message = describeError(reason);
  return { status: "failed", summary: errorKind(reason) === "internal" ? `internal error: ${message}` : message };
}

/** Errors after which the run is handed back (to resume elsewhere), not ended. */
export function isHandBack(reason: unknown): reason is HandoffError {
  return reason instanceof HandoffError;
}
