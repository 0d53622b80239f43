/**
 * The provider simulator: an HTTP server that speaks the OpenAI Chat Completions API and the
 * Anthropic Messages API closely enough for the official SDKs — non-streaming and streaming
 * (SSE), usage fields, request ids, the vendors' error bodies, `retry-after`, Anthropic's 529.
 * Answers are deterministic (derived from the prompt), token counts come from a real BPE
 * tokenizer, latency is configurable and faults are scriptable, so the offline demo and the tests
 * exercise exactly the code path a real provider would.
 *
 *   OpenAI base URL:    <url>/openai/v1
 *   Anthropic base URL: <url>/anthropic
 */
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { isReasoningModel } from "../../domain/providers/models.ts";
import { countTokens, promptTokenCount } from "../tokenizer.ts";
import { FAULT_HEADER } from "../types.ts";

export { countTokens };

export type SimProvider = "openai" | "anthropic";

export const faultSchema = z.strictObject({
  provider: z.enum(["openai", "anthropic"]).optional(),
  /** Model to match; omitted = every model. */
  model: z.string().optional(),
  /** How many matching calls fail before calls succeed again (Infinity = all). */
  count: z.number().int().min(1).or(z.literal(Number.POSITIVE_INFINITY)).default(1),
  /**
   * status: an HTTP error; timeout: hang; malformed: broken JSON; stream_cut: drop mid-stream; reset:
   * drop before answering; stream_error: an error object inside an HTTP 200 stream (as Anthropic and
   * some proxies send); no_usage: a normal answer with no usage anywhere (as many OpenAI-compatible
   * servers stream).
   */
  kind: z.enum(["status", "timeout", "malformed", "stream_cut", "reset", "stream_error", "no_usage"]).default("status"),
  /** For kind=stream_error: the error's type, e.g. rate_limit_error, overloaded_error, invalid_request_error. */
  errorType: z
    .string()
    .regex(/^[a-z_]{1,64}$/)
    .default("rate_limit_error"),
  /** HTTP status for kind=status (429, 500, 529, 400, 401…). */
  status: z.number().int().min(400).max(599).default(500),
  retryAfterSeconds: z.number().min(0).optional(),
  /** For kind=timeout: how long to hang before answering (the client should give up first). */
  hangMs: z.number().int().min(0).default(30_000),
  /** Fail each matching call with this probability instead of the first `count` calls. */
  probability: z.number().min(0).max(1).optional(),
});
export type Fault = z.input<typeof faultSchema>;

/** Header a caller may send (only to the simulator) to force faults for one node, e.g. `status=500;count=2`. */
export { FAULT_HEADER };

/** A small deterministic PRNG (mulberry32), so probabilistic fault plans are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulatorOptions {
  /** Seed for probabilistic faults (default 1). */
  seed?: number;
  port?: number;
  host?: string;
  /** Delay before the first byte. */
  latencyMs?: number;
  /** Delay between streamed chunks. */
  chunkDelayMs?: number;
  faults?: Fault[];
}

export interface SimCall {
  provider: SimProvider;
  model: string;
  stream: boolean;
  status: number;
  fault?: string;
  promptTokens: number;
  completionTokens: number;
  /** The rendered system and user prompt, so tests can attribute calls to workflow nodes. */
  system?: string;
  prompt?: string;
  /** The caller's `Idempotency-Key` header, if any. */
  idempotencyKey?: string;
  /** The whole answer was handed to the connection. */
  completed?: boolean;
  /** A repeat of a key that had already completed: answered again, not a new (billable) completion. */
  replayed?: boolean;
}

export interface Simulator {
  readonly url: string;
  readonly openaiBaseUrl: string;
  readonly anthropicBaseUrl: string;
  /** Every call received, in order (successful or not). */
  readonly calls: readonly SimCall[];
  setFaults(faults: Fault[]): void;
  setLatency(latencyMs: number, chunkDelayMs?: number): void;
  resetCalls(): void;
  close(): Promise<void>;
}

const WORDS =
  "analysis shows the key points are consistent with the source overall trend revenue growth risk summary evidence suggests further review recommended detail context outcome".split(
    " ",
  );

/** A deterministic answer for a prompt: same prompt and model, same text. */
export function simulatedAnswer(model: string, system: string, prompt: string, maxTokens: number): string {
  const digest = createHash("sha256").update(`${model}\u0000${system}\u0000${prompt}`).digest();
  const firstWords = prompt.replace(/\s+/g, " ").trim().split(" ").slice(0, 12).join(" ");
  // `[sim:words=N]` in the system prompt asks for a long answer (tests of oversize outputs).
  const asked = /\[sim:words=(\d{1,6})\]/.exec(system)?.[1];
  const length = asked ? Number(asked) : 24 + ((digest[0] ?? 0) % 48);
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(WORDS[(digest[i % digest.length] ?? 0) % WORDS.length] as string);
  let text = `Simulated ${model} answer about "${firstWords}": ${words.join(" ")}.`;
  // Respect max tokens the way a real model does: stop early.
  // (Never cutting between the two halves of a surrogate pair: a real model answers valid Unicode.)
  while (countTokens(text) > maxTokens && text.length > 1) {
    text = text.slice(0, Math.floor(text.length * 0.8)).replace(/[\ud800-\udbff]$/, "");
  }
  return text;
}

/** Hidden reasoning tokens a simulated reasoning model reports (part of completion_tokens). */
export const REASONING_TOKENS = 64;

function streamErrorMessage(type: string): string {
  if (/rate_limit/.test(type)) return "Rate limit reached for requests (simulated, sent inside the stream)";
  if (/overloaded/.test(type)) return "Overloaded";
  return `Simulated ${type} (sent inside the stream)`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const requestId = () => `req_sim_${randomBytes(12).toString("hex")}`;

function parseFaultHeader(value: string | undefined): Fault | null {
  if (!value) return null;
  const entries = Object.fromEntries(
    value.split(";").map((kv) => {
      const [k = "", v = ""] = kv.split("=").map((s) => s.trim());
      return [k, /^\d+(\.\d+)?$/.test(v) ? Number(v) : v];
    }),
  );
  const parsed = faultSchema.safeParse(entries);
  return parsed.success ? parsed.data : null;
}

interface ParsedRequest {
  provider: SimProvider;
  model: string;
  system: string;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  includeUsage: boolean;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        part && typeof part === "object" && "text" in part ? String((part as { text: unknown }).text) : "",
      )
      .join("");
  }
  return "";
}

function parseOpenAI(body: Record<string, unknown>): ParsedRequest | string {
  if (typeof body.model !== "string") return "model is required";
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "messages must be a non-empty array";
  const messages = body.messages as { role?: string; content?: unknown }[];
  const system = messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map((m) => textOf(m.content))
    .join("\n");
  const prompt = messages
    .filter((m) => m.role !== "system" && m.role !== "developer")
    .map((m) => textOf(m.content))
    .join("\n");
  const maxTokens = Number(body.max_completion_tokens ?? body.max_tokens ?? 4096);
  const opts = body.stream_options as { include_usage?: boolean } | undefined;
  return {
    provider: "openai",
    model: body.model,
    system,
    prompt,
    maxTokens,
    stream: body.stream === true,
    includeUsage: opts?.include_usage === true,
  };
}

function parseAnthropic(body: Record<string, unknown>): ParsedRequest | string {
  if (typeof body.model !== "string") return "model: field required";
  if (typeof body.max_tokens !== "number") return "max_tokens: field required";
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "messages: at least one message is required";
  const system = typeof body.system === "string" ? body.system : textOf(body.system);
  const prompt = (body.messages as { content?: unknown }[]).map((m) => textOf(m.content)).join("\n");
  return {
    provider: "anthropic",
    model: body.model,
    system,
    prompt,
    maxTokens: body.max_tokens,
    stream: body.stream === true,
    includeUsage: true,
  };
}

function errorBody(provider: SimProvider, status: number, message: string) {
  if (provider === "anthropic") {
    const type =
      status === 529
        ? "overloaded_error"
        : status === 429
          ? "rate_limit_error"
          : status === 401
            ? "authentication_error"
            : status === 403
              ? "permission_error"
              : status === 404
                ? "not_found_error"
                : status >= 500
                  ? "api_error"
                  : "invalid_request_error";
    return { type: "error", error: { type, message } };
  }
  const type = status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
  return { error: { message, type, param: null, code: status === 401 ? "invalid_api_key" : type } };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  let faults: (z.infer<typeof faultSchema> & { used: number })[] = [];
  let latencyMs = options.latencyMs ?? 0;
  let chunkDelayMs = options.chunkDelayMs ?? 0;
  const calls: SimCall[] = [];
  const headerFaultUse = new Map<string, number>();
  // Idempotency keys whose call completed: a repeat gets the same answer and is flagged as a replay.
  const completedKeys = new Set<string>();
  const sockets = new Set<import("node:net").Socket>();
  const random = seededRandom(options.seed ?? 1);

  const setFaults = (list: Fault[]) => {
    faults = list.map((f) => ({ ...faultSchema.parse(f), used: 0 }));
  };
  setFaults(options.faults ?? []);

  const pickFault = (req: ParsedRequest, header: string | undefined) => {
    const fromHeader = parseFaultHeader(header);
    if (fromHeader) {
      // Header faults count per (header, model, prompt) so a retry of the same call sees the count drop.
      const key = `${header}\u0000${req.provider}\u0000${req.model}\u0000${req.prompt}`;
      const used = headerFaultUse.get(key) ?? 0;
      const f = faultSchema.parse(fromHeader);
      if (used < f.count) {
        headerFaultUse.set(key, used + 1);
        return f;
      }
      return null;
    }
    for (const f of faults) {
      if (f.provider && f.provider !== req.provider) continue;
      if (f.model && f.model !== req.model) continue;
      if (f.probability !== undefined) {
        if (random() < f.probability) {
          f.used++;
          return f;
        }
        continue;
      }
      if (f.used < f.count) {
        f.used++;
        return f;
      }
    }
    return null;
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const provider: SimProvider | null =
      url.pathname === "/openai/v1/chat/completions"
        ? "openai"
        : url.pathname === "/anthropic/v1/messages"
          ? "anthropic"
          : null;
    if (url.pathname === "/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (!provider || req.method !== "POST") {
      // As web frameworks (Express, NestJS) behind proxies answer: not the vendors' error shape.
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ statusCode: 404, error: "Not Found", message: `Cannot ${req.method} ${url.pathname}` }));
      return;
    }
    const id = requestId();
    const idHeader = provider === "openai" ? "x-request-id" : "request-id";
    const sendError = (status: number, message: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", [idHeader]: id, ...extra });
      res.end(JSON.stringify(errorBody(provider, status, message)));
    };

    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    // Anthropic's SDK sends the key as x-api-key (older releases) or as a bearer token (1.x).
    const key =
      provider === "openai" ? req.headers.authorization : (req.headers["x-api-key"] ?? req.headers.authorization);
    if (!key) {
      calls.push({ provider, model: "?", stream: false, status: 401, promptTokens: 0, completionTokens: 0 });
      sendError(
        401,
        provider === "openai" ? "Missing bearer authentication in header" : "x-api-key header is required",
      );
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      sendError(400, "request body is not valid JSON");
      return;
    }
    const parsed = provider === "openai" ? parseOpenAI(body) : parseAnthropic(body);
    if (typeof parsed === "string") {
      calls.push({
        provider,
        model: String(body.model ?? "?"),
        stream: false,
        status: 400,
        promptTokens: 0,
        completionTokens: 0,
      });
      sendError(400, parsed);
      return;
    }
    if (provider === "openai" && isReasoningModel(parsed.model) && body.max_tokens !== undefined) {
      calls.push({
        provider,
        model: parsed.model,
        stream: parsed.stream,
        status: 400,
        promptTokens: 0,
        completionTokens: 0,
      });
      sendError(
        400,
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      );
      return;
    }
    const promptTokens = promptTokenCount(parsed.system, parsed.prompt);
    const call: SimCall = {
      provider,
      model: parsed.model,
      stream: parsed.stream,
      status: 200,
      promptTokens,
      completionTokens: 0,
      system: parsed.system,
      prompt: parsed.prompt,
    };
    const idempotencyKey = req.headers["idempotency-key"];
    if (typeof idempotencyKey === "string" && idempotencyKey) {
      call.idempotencyKey = idempotencyKey;
      if (completedKeys.has(idempotencyKey)) call.replayed = true;
    }
    calls.push(call);
    if (latencyMs > 0) await sleep(latencyMs);

    const fault = call.replayed ? null : pickFault(parsed, req.headers[FAULT_HEADER] as string | undefined);
    if (fault) {
      call.fault = fault.kind === "status" ? `status ${fault.status}` : fault.kind;
      if (fault.kind === "status") {
        call.status = fault.status;
        const extra: Record<string, string> =
          fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
        const message =
          fault.status === 529
            ? "Overloaded"
            : fault.status === 429
              ? "Rate limit reached for requests (simulated)"
              : fault.status === 401
                ? // Like a careless proxy: echo the key it was sent (FlowTrace must scrub it).
                  `Incorrect API key provided: ${String(key).replace(/^Bearer\s+/i, "")}`
                : `Simulated failure (${fault.status})`;
        sendError(fault.status, message, extra);
        return;
      }
      if (fault.kind === "timeout") {
        await Promise.race([sleep(fault.hangMs), new Promise((r) => res.on("close", r))]);
        if (!res.writableEnded && !res.destroyed) sendError(504, "Simulated gateway timeout");
        return;
      }
      if (fault.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault.kind === "malformed") {
        res.writeHead(200, { "content-type": "application/json", [idHeader]: id });
        res.end('{"id": "broken", "choices": [');
        return;
      }
    }

    const text = simulatedAnswer(parsed.model, parsed.system, parsed.prompt, parsed.maxTokens);
    const visibleTokens = countTokens(text);
    // Reasoning models think before they answer: hidden tokens, billed as output, reported apart.
    const reasoningTokens = provider === "openai" && isReasoningModel(parsed.model) ? REASONING_TOKENS : 0;
    const completionTokens = visibleTokens + reasoningTokens;
    call.completionTokens = completionTokens;
    const finish = visibleTokens >= parsed.maxTokens ? "length" : "stop";
    const omitUsage = fault?.kind === "no_usage";
    const openaiUsage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: reasoningTokens },
    };
    const created = Math.floor(Date.now() / 1000);
    const pieces = text.match(/\S+\s*/g) ?? [text];
    res.on("finish", () => {
      call.completed = true;
      if (call.idempotencyKey) completedKeys.add(call.idempotencyKey);
    });

    if (!parsed.stream) {
      res.writeHead(200, { "content-type": "application/json", [idHeader]: id });
      if (provider === "openai") {
        res.end(
          JSON.stringify({
            id: `chatcmpl-${id}`,
            object: "chat.completion",
            created,
            model: parsed.model,
            choices: [
              { index: 0, message: { role: "assistant", content: text }, finish_reason: finish, logprobs: null },
            ],
            ...(omitUsage ? {} : { usage: openaiUsage }),
          }),
        );
      } else {
        res.end(
          JSON.stringify({
            id: `msg_${id}`,
            type: "message",
            role: "assistant",
            model: parsed.model,
            content: [{ type: "text", text }],
            stop_reason: finish === "length" ? "max_tokens" : "end_turn",
            stop_sequence: null,
            ...(omitUsage
              ? {}
              : {
                  usage: {
                    input_tokens: promptTokens,
                    output_tokens: completionTokens,
                    cache_creation_input_tokens: 0,
                    cache_read_input_tokens: 0,
                  },
                }),
          }),
        );
      }
      return;
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", [idHeader]: id });
    const cut = fault?.kind === "stream_cut";
    const cutAt = Math.max(1, Math.floor(pieces.length / 2));
    if (provider === "openai") {
      const chunk = (delta: Record<string, unknown>, finishReason: string | null, usage?: unknown) =>
        `data: ${JSON.stringify({
          id: `chatcmpl-${id}`,
          object: "chat.completion.chunk",
          created,
          model: parsed.model,
          choices: usage ? [] : [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
          ...(usage ? { usage } : {}),
        })}\n\n`;
      res.write(chunk({ role: "assistant", content: "" }, null));
      if (fault?.kind === "stream_error") {
        const error = { message: streamErrorMessage(fault.errorType), type: fault.errorType, code: fault.errorType };
        res.end(`data: ${JSON.stringify({ error })}\n\n`);
        return;
      }
      for (const [i, piece] of pieces.entries()) {
        if (cut && i === cutAt) {
          await sleep(20); // let the pieces already written reach the client, then drop the connection
          res.destroy();
          return;
        }
        if (chunkDelayMs > 0) await sleep(chunkDelayMs);
        res.write(chunk({ content: piece }, null));
      }
      res.write(chunk({}, finish));
      if (parsed.includeUsage && !omitUsage) res.write(chunk({}, null, openaiUsage));
      res.end("data: [DONE]\n\n");
      return;
    }
    const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    res.write(
      event("message_start", {
        type: "message_start",
        message: {
          id: `msg_${id}`,
          type: "message",
          role: "assistant",
          model: parsed.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          ...(omitUsage
            ? {}
            : {
                usage: {
                  input_tokens: promptTokens,
                  output_tokens: 1,
                  cache_creation_input_tokens: 0,
                  cache_read_input_tokens: 0,
                },
              }),
        },
      }),
    );
    if (fault?.kind === "stream_error") {
      const error = { type: fault.errorType, message: streamErrorMessage(fault.errorType) };
      res.end(event("error", { type: "error", error }));
      return;
    }
    res.write(
      event("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      }),
    );
    res.write(event("ping", { type: "ping" }));
    for (const [i, piece] of pieces.entries()) {
      if (cut && i === cutAt) {
        await sleep(20);
        res.destroy();
        return;
      }
      if (chunkDelayMs > 0) await sleep(chunkDelayMs);
      res.write(
        event("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: piece },
        }),
      );
    }
    res.write(event("content_block_stop", { type: "content_block_stop", index: 0 }));
    res.write(
      event("message_delta", {
        type: "message_delta",
        delta: { stop_reason: finish === "length" ? "max_tokens" : "end_turn", stop_sequence: null },
        ...(omitUsage ? {} : { usage: { output_tokens: completionTokens } }),
      }),
    );
    res.end(event("message_stop", { type: "message_stop" }));
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const url = `http://${host}:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/openai/v1`,
    anthropicBaseUrl: `${url}/anthropic`,
    calls,
    setFaults,
    setLatency(ms, chunkMs) {
      latencyMs = ms;
      if (chunkMs !== undefined) chunkDelayMs = chunkMs;
    },
    resetCalls() {
      calls.length = 0;
      headerFaultUse.clear();
      completedKeys.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
