/**
 * Canonical JSON: object keys sorted by code point at every depth, no insignificant whitespace
 * differences. Used for exported workflow documents (clean git diffs) and cache keys.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Compact canonical form (for hashing). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

/** Pretty canonical form with a trailing newline (for files). */
export function canonicalJsonPretty(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}
