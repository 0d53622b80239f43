/**
 * An error as a person reads it: what went wrong and, where the dashboard knows, what to do — a
 * 401 points to where the API token is set instead of showing "[Network] Unauthorized".
 */
export const TOKEN_HINT =
  "The server asks for an API token: set it with “Set API token” at the top of the page (the server's FLOWTRACE_API_TOKEN, or a project API key).";

/** The HTTP status of a failed request, from urql's CombinedError or the REST layer's RestError. */
function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { status?: unknown; response?: { status?: unknown } };
  if (typeof e.status === "number") return e.status;
  return typeof e.response?.status === "number" ? e.response.status : undefined;
}

export function describeError(error: unknown): string {
  const status = statusOf(error);
  if (status === 401) return TOKEN_HINT;
  if (status === 403) return "This API token may not do that: ask an administrator for a token with the needed scope.";
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\[(Network|GraphQL)\] /, "");
}
