/**
 * The dashboard's one REST call: a dataset file import, sent as its raw body (everything else goes
 * through GraphQL). Errors carry the server's message and, for invalid input, the issues naming
 * each row or field.
 */
import { authHeaders } from "./auth.ts";

export interface Issue {
  path: string;
  message: string;
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

/** A body sent as it is (a CSV or JSON Lines file), with its content type. */
export interface RawBody {
  raw: string;
  type: string;
}

const isRaw = (b: unknown): b is RawBody => typeof b === "object" && b !== null && "raw" in b && "type" in b;

export async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = isRaw(body)
    ? { method, headers: { ...authHeaders(), "content-type": body.type }, body: body.raw }
    : {
        method,
        headers: { ...authHeaders(), "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      };
  const res = await fetch(`/api${path}`, init);
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const error = (json as { error?: { message?: string; issues?: Issue[] } } | null)?.error;
    throw new RestError(res.status, error?.message ?? `${res.status} ${res.statusText}`, error?.issues ?? []);
  }
  return json as T;
}
