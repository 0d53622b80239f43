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

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown; errors?: unknown };
  if (typeof e.code === "string" && CODES.has(e.code)) return true;
  if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
  if (e.meta && typeof e.meta === "object") {
    const meta = e.meta as { code?: unknown; driverAdapterError?: unknown; cause?: unknown };
    if (typeof meta.code === "string" && CODES.has(meta.code)) return true;
    if (isDatabaseUnavailable(meta.driverAdapterError, depth + 1)) return true;
  }
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** A unique constraint refused the statement (PostgreSQL 23505), however the client wrapped it. */
export function isUniqueViolation(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown };
  if (e.code === "23505") return true;
  if (typeof e.message === "string" && /duplicate key value violates unique constraint|\b23505\b/.test(e.message)) {
    return true;
  }
  if (e.meta && typeof e.meta === "object") {
    const meta = e.meta as { code?: unknown; driverAdapterError?: unknown };
    if (meta.code === "23505" || isUniqueViolation(meta.driverAdapterError, depth + 1)) return true;
  }
  return isUniqueViolation(e.cause, depth + 1);
}

/** Thrown by the executor when storage went away mid-run: the run is intact and resumes later. */
export class DatabaseOutageError extends Error {
  override readonly name = "DatabaseOutageError";
  constructor(cause: unknown) {
    super(`the database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
