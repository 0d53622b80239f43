/** What the timeline shows: events filtered by kind, step, errors only and a text search in payloads. Pure. */
import type { TraceEventView } from "./model.ts";

export interface TimelineFilter {
  kind: string;
  /** A step id, or "" for every step. */
  stepId: string;
  errorsOnly: boolean;
  query: string;
}

export const NO_FILTER: TimelineFilter = { kind: "", stepId: "", errorsOnly: false, query: "" };

/** An event that says something went wrong: a failed attempt, step or run, a replay miss, a warning. */
export function isError(e: TraceEventView): boolean {
  switch (e.kind) {
    case "retry":
    case "step.failed":
    case "replay.miss":
    case "fallback":
      return true;
    case "run.finished":
      return e.payload.status === "failed";
    case "log":
      return e.payload.level === "error" || e.payload.level === "warn";
    default:
      return false;
  }
}

/** Each event's payload as lower-case text, built once per event object (10,000 events search in ms). */
const searchText = new WeakMap<TraceEventView, string>();
function textOf(e: TraceEventView): string {
  let text = searchText.get(e);
  if (text === undefined) {
    text = `${e.kind} ${JSON.stringify(e.payload)}`.toLowerCase();
    searchText.set(e, text);
  }
  return text;
}

export function filterEvents(events: TraceEventView[], f: TimelineFilter): TraceEventView[] {
  if (!f.kind && !f.stepId && !f.errorsOnly && !f.query) return events;
  const query = f.query.trim().toLowerCase();
  return events.filter(
    (e) =>
      (!f.kind || e.kind === f.kind) &&
      (!f.stepId || e.stepId === f.stepId) &&
      (!f.errorsOnly || isError(e)) &&
      (!query || textOf(e).includes(query)),
  );
}

/** `#seq=17` → 17; anything else → null. */
export function seqFromHash(hash: string): number | null {
  const m = /^#seq=(\d{1,9})$/.exec(hash);
  return m ? Number(m[1]) : null;
}
