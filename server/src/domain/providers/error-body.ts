/**
 * A provider's error, in the server's own words. Vendors and the servers that imitate them put the
 * message in different places — OpenAI `{error:{message,type,code}}`, Anthropic
 * `{type:"error",error:{type,message}}`, web frameworks `{error:"Not Found",message:"Cannot POST …"}`,
 * FastAPI `{detail:…}`, Ollama `{error:"…"}`, or plain text and HTML — and the SDKs keep only some
 * of them. Pure: the providers' HTTP layer hands the raw body here.
 */
import type { FailureKind } from "./errors.ts";

export interface ServerError {
  /** What the server said, cut to {@link MAX_SERVER_MESSAGE} characters. */
  message: string;
  /** The error's `type` (Anthropic, OpenAI), when it has one. */
  type: string | null;
  /** The error's `code` (OpenAI), when it has one. */
  code: string | null;
}

export const MAX_SERVER_MESSAGE = 300;

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

function record(v: unknown): Record<string, unknown> | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** `{detail: "…"}` or FastAPI's validation list `{detail: [{loc, msg}]}`. */
function detailText(detail: unknown): string | null {
  if (Array.isArray(detail)) {
    const parts = detail.map((d) => {
      const r = record(d);
      const loc = Array.isArray(r?.loc) ? `${r.loc.join(".")}: ` : "";
      return r && str(r.msg) ? `${loc}${str(r.msg)}` : JSON.stringify(d);
    });
    return parts.length > 0 ? parts.join("; ") : null;
  }
  return str(detail) ?? (record(detail) ? JSON.stringify(detail) : null);
}

function fromJson(body: Record<string, unknown>): ServerError | null {
  const nested = record(body.error);
  if (nested) {
    const message = str(nested.message) ?? detailText(nested.detail) ?? str(body.message);
    const code = nested.code === undefined || nested.code === null ? null : String(nested.code);
    return { message: message ?? JSON.stringify(nested), type: str(nested.type), code };
  }
  const label = str(body.error);
  const message = str(body.message) ?? detailText(body.detail) ?? str(body.msg);
  if (label && message) return { message: `${label}: ${message}`, type: null, code: str(body.code) };
  if (label ?? message) return { message: (label ?? message) as string, type: str(body.type), code: str(body.code) };
  const errors = Array.isArray(body.errors) ? body.errors.map((e) => str(record(e)?.message) ?? str(e)) : [];
  const listed = errors.filter(Boolean).join("; ");
  return listed ? { message: listed, type: null, code: null } : null;
}

/** Plain text or an HTML error page: its visible text, whitespace collapsed. */
function fromText(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  const visible = (title ?? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
  return visible;
}

export function cutMessage(text: string, max = MAX_SERVER_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Read a raw error body (JSON in any common shape, or text). Empty bodies give an empty message. */
export function parseErrorBody(raw: string): ServerError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { message: cutMessage(fromText(raw)), type: null, code: null };
  }
  const body = record(parsed);
  const found = body ? fromJson(body) : (str(parsed) ?? null);
  if (typeof found === "string") return { message: cutMessage(found), type: null, code: null };
  if (found) return { ...found, message: cutMessage(found.message) };
  return { message: cutMessage(raw.trim()), type: null, code: null };
}

/**
 * An error object sent instead of data (inside an HTTP 200 stream, as Anthropic and some proxies do)
 * classified by its `type`/`code`, the way its HTTP status would have been.
 */
export function classifyErrorType(type: string | null, code: string | null): FailureKind {
  const label = `${type ?? ""} ${code ?? ""}`.toLowerCase();
  if (/context_length|too_many_tokens|prompt_too_long/.test(label)) return "context_length";
  if (/insufficient_quota|billing|authentication|permission|invalid_api_key|unauthori[sz]ed/.test(label)) {
    return "auth";
  }
  if (/rate_limit|too_many_requests|throttl/.test(label)) return "rate_limited";
  if (/overloaded|capacity|unavailable/.test(label)) return "overloaded";
  if (/timeout|timed_out/.test(label)) return "timeout";
  if (/not_found|model_not_found|no_such/.test(label)) return "not_found";
  if (/invalid_request|bad_request|invalid|unsupported|validation/.test(label)) return "bad_request";
  // server_error, api_error, internal_error or a type we do not know: the server's fault, retried.
  return "server";
}
