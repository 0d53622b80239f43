/** Turns the SDKs' errors into ProviderError (retryable or not), without leaking headers or keys. */
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
import { classifyStatus, ProviderError, parseRetryAfter } from "../domain/providers/errors.ts";
import { scrubSecrets } from "../domain/secrets/scrub.ts";

function bodyMessage(error: unknown): string {
  const e = error as { error?: { message?: string; error?: { message?: string } }; message?: string };
  return e.error?.error?.message ?? e.error?.message ?? e.message ?? "unknown error";
}

/** Provider errors never carry a key, even when a provider or proxy echoes the one it was sent. */
export function toProviderError(
  error: unknown,
  ctx: { provider: string; model: string; signal?: AbortSignal; partialText?: string; secrets?: readonly string[] },
): ProviderError {
  const mapped = mapError(error, ctx);
  const message = scrubSecrets(mapped.message, ctx.secrets);
  return message === mapped.message ? mapped : new ProviderError(mapped.kind, message, mapped.details);
}

function mapError(
  error: unknown,
  ctx: { provider: string; model: string; signal?: AbortSignal; partialText?: string },
): ProviderError {
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
    return new ProviderError("timeout", `${ctx.provider} did not answer in time`, base);
  }
  if (error instanceof OpenAIAPIError || error instanceof AnthropicAPIError) {
    const status = error.status;
    const requestId = (error as { requestID?: string | null }).requestID ?? undefined;
    if (status === undefined) {
      const partial = ctx.partialText ? " mid-stream" : "";
      return new ProviderError("connection", `connection to ${ctx.provider} failed${partial}: ${error.message}`, {
        ...base,
        ...(requestId ? { requestId } : {}),
      });
    }
    const message = bodyMessage(error);
    const headers = error.headers as Headers | undefined;
    const retryAfterMs = headers ? parseRetryAfter(headers) : undefined;
    return new ProviderError(classifyStatus(status, message), `${ctx.provider} answered ${status}: ${message}`, {
      ...base,
      status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(requestId ? { requestId } : {}),
    });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError("malformed_response", `${ctx.provider} returned a malformed response`, base);
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = /terminated|socket|ECONNRESET|premature close|aborted/i.test(message)
    ? "connection"
    : "malformed_response";
  return new ProviderError(kind, `${ctx.provider} call failed: ${message}`, base);
}
