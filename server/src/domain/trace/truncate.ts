/**
 * Bounded trace payloads: an event keeps at most TRACE_VALUE_LIMIT characters of any one top-level
 * value. A longer string keeps its beginning plus an explicit marker; a larger structure is replaced
 * by `{ "$truncated": true, … }` with a JSON preview. The payload lists what was cut in `truncated`,
 * and the complete value stays retrievable from the step (`run_steps.output`). Pure.
 */

export const TRACE_VALUE_LIMIT = 65_536;

export interface TruncationNote {
  field: string;
  originalLength: number;
}

export function truncationMarker(originalLength: number): string {
  return `… [truncated by FlowTrace: ${originalLength} characters in all; the full value is the step's output]`;
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
      out[key] = value.slice(0, limit) + truncationMarker(value.length);
      notes.push({ field: key, originalLength: value.length });
      continue;
    }
    if (typeof value !== "object") continue;
    const json = JSON.stringify(value) ?? "";
    if (json.length <= limit) continue;
    out ??= { ...payload };
    out[key] = { $truncated: true, originalLength: json.length, preview: json.slice(0, limit) };
    notes.push({ field: key, originalLength: json.length });
  }
  if (!out) return payload;
  out.truncated = notes;
  return out;
}
