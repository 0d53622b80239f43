/**
 * The SDKs' `fetch`, with error bodies put in one shape both SDKs read whole. The OpenAI SDK keeps
 * only a body's `error` field (so `{"error":"Not Found","message":"Cannot POST …"}` became
 * `"Not Found"`, and `{"detail":…}` nothing at all); here every common shape is read
 * (domain/providers/error-body.ts) and handed on as `{type:"error", error:{message, type, code}}`.
 * Successful responses (streams among them) pass through untouched.
 */
import { parseErrorBody } from "../domain/providers/error-body.ts";

export const errorBodyFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.status < 400) return response;
  const raw = await response.text().catch(() => "");
  const { message, type, code } = parseErrorBody(raw);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  headers.set("content-type", "application/json");
  const body = { type: "error", error: { message, type, code } };
  return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
};
