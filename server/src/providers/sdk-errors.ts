/** Turns the SDKs' errors into ProviderError (retryable or not), without leaking headers or keys. */

import { STATUS_CODES } from "node:http";
import {
  APIUserAbortError as AnthropicAbort,
  APIError as AnthropicAPIError,
  APIConnectionTimeoutError as AnthropicTimeout,
} from "@anthropic-ai/sdk";
import {
  APIUserAbortError as OpenAIAbort,
  APIError as OpenAIAPIError,
  APIConnectionTimeoutError as OpenAITimeout,
} from "openai";
import { redactUrl } from "../config/env.ts";
import { classifyErrorType, cutMessage } from "../domain/providers/error-body.ts";
import { classifyStatus, ProviderError, parseRetryAfter } from "../domain/providers/errors.ts";
import { scrubSecrets } from "../domain/secrets/scrub.ts";

/** The error object an SDK error carries: an HTTP error body (as errorBodyFetch shaped it) or an in-stream one. */
function errorObject(error: { error?: unknown }): { message: string | null; type: string | null; code: string | null } {
  const outer = error.error && typeof error.error === "object" ? (error.error as Record<string, unknown>) : null;
  const inner = outer?.error && typeof outer.error === "object" ? (outer.error as Record<string, unknown>) : outer;
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    message: text(inner?.message),
    type: text(inner?.type),
    code: inner?.code === undefined || inner?.code === null ? null : String(inner.code),
  };
}

/**
 * What to say about a 404 from a base URL that looks wrong: OpenAI-compatible servers answer under
 * `/v1` (the SDK appends only `/chat/completions`), while the Anthropic SDK adds `/v1` itself.
 */
export function baseUrlHint(api: "openai" | "anthropic", baseUrl: string | null | undefined): string {
  if (!baseUrl) return "";
  // The URL goes into traces: never with the credentials a URL may carry.
  const trimmed = redactUrl(baseUrl).replace(/\/+$/, "");
  const endsWithV1 = /\/v1$/.test(trimmed);
  if (api === "openai" && !endsWithV1) return ` (the base URL ${trimmed} lacks /v1: did you mean ${trimmed}/v1?)`;
  if (api === "anthropic" && endsWithV1) {
    return ` (the Anthropic SDK adds /v1 itself: did you mean ${trimmed.slice(0, -3)}?)`;
  }
  return "";
}

/** Provider errors never carry a key, even when a provider or proxy echoes the one it was sent. */
export function toProviderError(error: unknown, ctx: ErrorContext & { secrets?: readonly string[] }): ProviderError {
  const mapped = mapError(error, ctx);
  const message = scrubSecrets(mapped.message, ctx.secrets);
  const reason = mapped.details.reason === undefined ? undefined : scrubSecrets(mapped.details.reason, ctx.secrets);
  if (message === mapped.message && reason === mapped.details.reason) return mapped;
  return new ProviderError(mapped.kind, message, { ...mapped.details, ...(reason !== undefined ? { reason } : {}) });
}

interface ErrorContext {
  provider: string;
  model: string;
  api: "openai" | "anthropic";
  baseUrl?: string | null;
  signal?: AbortSignal;
  partialText?: string;
}

function mapError(error: unknown, ctx: ErrorContext): ProviderError {
  const base = {
    provider: ctx.provider,
    model: ctx.model,
    ...(ctx.partialText ? { partialText: ctx.partialText } : {}),
  };
  // A canceled call is canceled, whatever the SDK or the cut stream made of it.
  if (error instanceof OpenAIAbort || error instanceof AnthropicAbort || ctx.signal?.aborted) {
    return new ProviderError("canceled", `${ctx.provider} call canceled`, base);
  }
  if (error instanceof ProviderError) return error;
  if (error instanceof OpenAITimeout || error instanceof AnthropicTimeout) {
    return new ProviderError("timeout", `${ctx.provider} did not answer in time`, {
      ...base,
      reason: "did not answer in time",
    });
  }
  if (error instanceof OpenAIAPIError || error instanceof AnthropicAPIError) return fromApiError(error, ctx, base);
  if (error instanceof SyntaxError) {
    return new ProviderError("malformed_response", `${ctx.provider} returned a malformed response`, base);
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = /terminated|socket|ECONNRESET|premature close|aborted/i.test(message)
    ? "connection"
    : "malformed_response";
  return new ProviderError(kind, `${ctx.provider} call failed: ${message}`, base);
}

/** Statuses vendors use that Node's table lacks. */
const EXTRA_STATUS_TEXT: Record<number, string> = { 529: "Overloaded" };

type Base = { provider: string; model: string; partialText?: string };

function fromApiError(error: OpenAIAPIError | AnthropicAPIError, ctx: ErrorContext, base: Base): ProviderError {
  const status = error.status;
  const requestId = (error as { requestID?: string | null }).requestID ?? undefined;
  const ids = requestId ? { requestId } : {};
  const body = errorObject(error as { error?: unknown });
  if (status === undefined) {
    // An error object sent instead of data, inside an HTTP 200 stream: classified by its type/code.
    if (body.message !== null || body.type !== null || body.code !== null) {
      const label = body.type ?? body.code ?? "error";
      const reason = `in-stream ${label} ${JSON.stringify(cutMessage(body.message ?? ""))}`;
      return new ProviderError(classifyErrorType(body.type, body.code), `${ctx.provider} sent ${reason}`, {
        ...base,
        ...ids,
        reason,
      });
    }
    const partial = ctx.partialText ? " mid-stream" : "";
    const reason = `connection failed${partial}: ${error.message}`;
    return new ProviderError("connection", `connection to ${ctx.provider} failed${partial}: ${error.message}`, {
      ...base,
      ...ids,
      reason,
    });
  }
  const message = body.message ?? cutMessage(error.message);
  const statusText = STATUS_CODES[status] ?? EXTRA_STATUS_TEXT[status] ?? "";
  const hint = status === 404 ? baseUrlHint(ctx.api, ctx.baseUrl) : "";
  const reason = `${status}${statusText ? ` ${statusText}` : ""} ${JSON.stringify(message)}${hint}`;
  const headers = error.headers as Headers | undefined;
  const retryAfterMs = headers ? parseRetryAfter(headers) : undefined;
  const kind = body.type || body.code ? fromStatusAndType(status, message, body) : classifyStatus(status, message);
  return new ProviderError(kind, `${ctx.provider} answered ${reason}`, {
    ...base,
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...ids,
    reason,
  });
}

/** The status decides, except where the body says more (a 400 for an over-long prompt is context_length). */
function fromStatusAndType(status: number, message: string, body: { type: string | null; code: string | null }) {
  const byStatus = classifyStatus(status, message);
  if (byStatus !== "bad_request") return byStatus;
  return classifyErrorType(body.type, body.code) === "context_length" ? "context_length" : byStatus;
}
