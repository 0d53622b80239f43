/**
 * Bounded trace payloads: an event keeps at most TRACE_VALUE_LIMIT characters of any one top-level
 * value. A longer string keeps its beginning plus an explicit marker; a larger structure is replaced
 * by `{ "$truncated": true, … }` with a JSON preview. The payload lists what was cut in `truncated`.
 * A step's output (`output` of tool.response and step.finished, `text` of llm.response) stays
 * complete in the step (`run_steps.output`) and the marker says so; of other values (a rendered
 * prompt, tool arguments, run inputs) the trace keeps only the start, and the marker says that. Pure.
 */

export const TRACE_VALUE_LIMIT = 65_536;

export interface TruncationNote {
  field: string;
  originalLength: number;
}

/** Fields whose complete value is the step's stored output. */
const STEP_OUTPUT_FIELDS: ReadonlySet<string> = new Set(["output", "text"]);

export function truncationMarker(originalLength: number, field?: string): string {
  const where =
    field !== undefined && STEP_OUTPUT_FIELDS.has(field)
      ? "the full value is the step's output"
      : "only this start is kept";
  return `… [truncated by FlowTrace: ${originalLength} characters in all; ${where}]`;
}

/** Returns the payload itself when nothing is too large (the common case allocates nothing). */
export function boundPayload(payload: Record<string, unknown>, limit = TRACE_VALUE_LIMIT): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  const notes: TruncationNote[] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (value === null || typeof value === "number" || typeof value === "boolean") continue;
    if (typeof value === "string") {
      if (value.length <= limit) continue;
      out ??= { ...payload };
      out[key] = value.slice(0, limit) + truncationMarker(value.length, key);
      notes.push({ field: key, originalLength: value.length });
      continue;
    }
    if (typeof value !== "object") continue;
    const json = JSON.stringify(value) ?? "";
    if (json.length <= limit) continue;
    out ??= { ...payload };
    out[key] = {
      $truncated: true,
      originalLength: json.length,
      preview: json.slice(0, limit),
      fullValue: STEP_OUTPUT_FIELDS.has(key) ? "the step's output" : null,
    };
    notes.push({ field: key, originalLength: json.length });
  }
  if (!out) return payload;
  out.truncated = notes;
  return out;
}
