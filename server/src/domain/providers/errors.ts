/**
 * Provider failures become typed errors where they happen: each one says whether a retry can help,
 * whether a fallback provider should be tried, and how long the provider asked us to wait.
 * Messages never include request headers or keys.
 */
export type FailureKind =
  | "timeout"
  | "connection"
  | "rate_limited"
  | "overloaded"
  | "server"
  | "bad_request"
  | "auth"
  | "not_found"
  | "context_length"
  | "missing_key"
  | "malformed_response"
  | "canceled";

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: {
      provider: string;
      model: string;
      status?: number;
      retryAfterMs?: number;
      requestId?: string;
      /** Text streamed before the failure, kept for the trace. */
      partialText?: string;
      /**
       * The failure without the provider's name, as a chain summary lists it: `500 Internal Server
       * Error "the server's message"`, `in-stream rate_limit_error "…"`, `no answer within 60000 ms`.
       */
      reason?: string;
    },
  ) {
    super(message);
  }

  /** A retry of the same call may succeed. */
  get transient(): boolean {
    return isTransient(this.kind);
  }

  /** The failure without the provider's name (see `details.reason`). */
  get reason(): string {
    return this.details.reason ?? this.message;
  }

  /** Moving to the next fallback provider is worth it. */
  get fallbackEligible(): boolean {
    return this.kind !== "canceled" && this.kind !== "bad_request" && this.kind !== "context_length";
  }
}

export function isTransient(kind: FailureKind): boolean {
  return (
    kind === "timeout" ||
    kind === "connection" ||
    kind === "rate_limited" ||
    kind === "overloaded" ||
    kind === "server" ||
    kind === "malformed_response"
  );
}

/** HTTP status → failure kind (408, 409, 429, 500–504, 529 are transient). */
export function classifyStatus(status: number, message = ""): FailureKind {
  if (status === 429) return "rate_limited";
  if (status === 529) return "overloaded";
  if (status === 408) return "timeout";
  if (status === 409 || (status >= 500 && status <= 504)) return "server";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (/context[_ ]length|maximum context|too many tokens|prompt is too long/i.test(message)) return "context_length";
  if (status === 400 || status === 413 || status === 422) return "bad_request";
  return status >= 500 ? "server" : "bad_request";
}

/** Parse `retry-after` (seconds or HTTP date) and `retry-after-ms` headers. */
export function parseRetryAfter(headers: { get(name: string): string | null }, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
