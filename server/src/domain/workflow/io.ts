/** Import/export of workflow documents as canonical JSON (stable key order, clean git diffs). */
import { canonicalJsonPretty } from "../canonical-json.ts";
import type { Workflow } from "./schema.ts";
import { type ValidationContext, type ValidationResult, validateWorkflow } from "./validate.ts";

export function exportWorkflow(workflow: Workflow | Record<string, unknown>): string {
  return canonicalJsonPretty(workflow);
}

export function importWorkflow(text: string, ctx: ValidationContext): ValidationResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: "", message: `not valid JSON: ${(error as Error).message}` }] };
  }
  return validateWorkflow(parsed, ctx);
}
