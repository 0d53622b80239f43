/** W3C trace context headers, pure: parsing and writing `traceparent`, keeping a sane `tracestate`. */
export interface TraceParent {
  traceId: string;
  spanId: string;
  /** Bit 0: sampled. */
  flags: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** A `traceparent` header, or null when it is absent or malformed (the W3C rule: then ignore it). */
export function parseTraceParent(header: string | null | undefined): TraceParent | null {
  const m = TRACEPARENT.exec((header ?? "").trim().toLowerCase());
  if (!m) return null;
  const [, version, traceId = "", spanId = "", flags = "00", rest] = m;
  if (version === "ff" || (version === "00" && rest)) return null;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

export const formatTraceParent = (p: TraceParent) =>
  `00-${p.traceId}-${p.spanId}-${(p.flags & 0xff).toString(16).padStart(2, "0")}`;

/** A `tracestate` worth keeping: at most 512 characters of list members, else none. */
export function cleanTraceState(header: string | null | undefined): string | null {
  const value = (header ?? "").trim();
  return value && value.length <= 512 && /^[\x20-\x7e]+$/.test(value) ? value : null;
}

/** What a run keeps of its caller's trace context: a valid `traceparent` (and its `tracestate`), or nothing. */
export function runTraceFields(headers: { traceparent?: string | null; tracestate?: string | null }) {
  const parent = parseTraceParent(headers.traceparent);
  return parent ? { traceParent: formatTraceParent(parent), traceState: cleanTraceState(headers.tracestate) } : {};
}
