/**
 * Is this error "the database is not reachable right now" (refused, reset, terminated, shutting
 * down, pool exhausted) rather than a bad query? Such errors are transient: the API answers 503 and
 * the executor hands the run back to the queue to resume later, instead of failing it.
 */
const CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  // PostgreSQL: admin/crash shutdown, cannot connect now, connection exceptions.
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  // Prisma: can't reach server, timed out, closed the connection, pool timeout.
  "P1001",
  "P1002",
  "P1017",
  "P2024",
]);

const MESSAGES =
  /connection terminated|connection refused|econnrefused|econnreset|can't reach database|server has closed the connection|timeout exceeded when trying to connect|connection (is )?closed|databasenotreachable|the database system is (shutting down|starting up)|client has encountered a connection error|socket hang up/i;

/**
 * Does `error`, or anything it wraps (Prisma's `meta.driverAdapterError`, `cause`, an aggregate's
 * `errors`), carry one of `codes` (its own or Prisma's `meta.code`) or a message matching `messages`?
 */
function matchesDatabaseError(
  error: unknown,
  test: { codes: ReadonlySet<string>; messages: RegExp },
  depth = 0,
): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown; errors?: unknown };
  const again = (inner: unknown) => matchesDatabaseError(inner, test, depth + 1);
  if (typeof e.code === "string" && test.codes.has(e.code)) return true;
  if (typeof e.message === "string" && test.messages.test(e.message)) return true;
  if (e.meta && typeof e.meta === "object") {
    const meta = e.meta as { code?: unknown; driverAdapterError?: unknown };
    if (typeof meta.code === "string" && test.codes.has(meta.code)) return true;
    if (again(meta.driverAdapterError)) return true;
  }
  if (Array.isArray(e.errors) && e.errors.some(again)) return true;
  return again(e.cause);
}

/**
 * Errors a step reports about what it called (a tool's target refused, an MCP server's connection
 * closed): never the database's, whatever their text says — the step fails, the run goes on.
 */
const NOT_DATABASE = new Set(["ToolError", "McpError", "CodeError"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Error && NOT_DATABASE.has(error.name)) return false;
  return matchesDatabaseError(error, { codes: CODES, messages: MESSAGES });
}

const UNIQUE_VIOLATION = {
  codes: new Set(["23505"]),
  messages: /duplicate key value violates unique constraint|\b23505\b/,
};

/** A unique constraint refused the statement (PostgreSQL 23505), however the client wrapped it. */
export function isUniqueViolation(error: unknown): boolean {
  return matchesDatabaseError(error, UNIQUE_VIOLATION);
}

/** Thrown by the executor when storage went away mid-run: the run is intact and resumes later. */
export class DatabaseOutageError extends Error {
  override readonly name = "DatabaseOutageError";
  constructor(cause: unknown) {
    super(`the database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
