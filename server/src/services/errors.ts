/** The errors use cases throw; transports map each to its status (404, 409, 422). */
import type { ValidationIssue } from "../domain/workflow/validate.ts";

export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

export class InvalidWorkflowError extends Error {
  override readonly name = "InvalidWorkflowError";
  constructor(readonly issues: ValidationIssue[]) {
    super(`the workflow is invalid: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`);
  }
}

/** The request conflicts with the object's state (a re-run of a run still in progress). */
export class ConflictError extends Error {
  override readonly name = "ConflictError";
}

/** A request that is well-formed JSON but asks for something impossible; issues name the fields. */
export class InvalidRequestError extends Error {
  override readonly name = "InvalidRequestError";
  constructor(
    message: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`${message}: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`);
  }
}

/**
 * The caller may not do this (403), could not be authenticated (401), is refused for its spend
 * (402 `budget_exceeded`) or is going too fast (429, with the seconds to wait). `code` is the
 * error body's code.
 */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
  constructor(
    readonly status: 401 | 402 | 403 | 429,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A server we depend on for this request (an MCP server) failed or could not be reached: 502. */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
}
