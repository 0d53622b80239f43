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
  const message = (error instanceof Error ? error.message : String(error)).replace(/^\[(Network|GraphQL)\] /, "");
  // The server names what is missing ("your role in this project (viewer) lacks the scope runs:write").
  if (status === 403 && /^forbidden$/i.test(message.trim())) {
    return "You may not do that here: ask a project admin for the role or key scope it needs.";
  }
  return message;
}
