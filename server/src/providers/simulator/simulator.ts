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
import type { AddressInfo, Socket } from "node:net";
import { isReasoningModel } from "../../domain/providers/models.ts";
import { countTokens, promptTokenCount } from "../tokenizer.ts";
import { FAULT_HEADER } from "../types.ts";
import {
  ANTHROPIC_REQUEST_ID_HEADER,
  anthropicErrorBody,
  parseAnthropic,
  writeAnthropicAnswer,
} from "./anthropic-wire.ts";
import type { SimToolCall } from "./conversation.ts";
import { type ActiveFault, type Fault, FaultPlan, type SimProvider, statusFaultMessage } from "./faults.ts";
import { simulatedVerdict } from "./judge.ts";
import { OPENAI_REQUEST_ID_HEADER, openaiErrorBody, parseOpenAI, writeOpenAIAnswer } from "./openai-wire.ts";
import { decide } from "./tool-policy.ts";
import { type Answer, type ParsedRequest, sleep } from "./wire.ts";

export type { SimProvider } from "./faults.ts";
export { type Fault, faultSchema, seededRandom } from "./faults.ts";
/** Header a caller may send (only to the simulator) to force faults for one node, e.g. `status=500;count=2`. */
export { countTokens, FAULT_HEADER };

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
  /** The caller's W3C `traceparent` header, if any. */
  traceparent?: string;
  /** The whole answer was handed to the connection. */
  completed?: boolean;
  /** A repeat of a key that had already completed: answered again, not a new (billable) completion. */
  replayed?: boolean;
  /** The request body as received: what the SDK put on the wire (tools, tool results, formats). */
  body?: Record<string, unknown>;
  /** The tool calls the simulated model answered with. */
  toolCalls?: SimToolCall[];
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

const requestId = () => `req_sim_${randomBytes(12).toString("hex")}`;

/** One vendor's wire format. */
interface Wire {
  parse(body: Record<string, unknown>): ParsedRequest | string;
  errorBody(status: number, message: string): unknown;
  idHeader: string;
  write(answer: Answer): Promise<void>;
  missingKey: string;
}

const WIRES: Record<SimProvider, Wire> = {
  openai: {
    parse: parseOpenAI,
    errorBody: openaiErrorBody,
    idHeader: OPENAI_REQUEST_ID_HEADER,
    write: writeOpenAIAnswer,
    missingKey: "Missing bearer authentication in header",
  },
  anthropic: {
    parse: parseAnthropic,
    errorBody: anthropicErrorBody,
    idHeader: ANTHROPIC_REQUEST_ID_HEADER,
    write: writeAnthropicAnswer,
    missingKey: "x-api-key header is required",
  },
};

const ROUTES: Record<string, SimProvider> = {
  "/openai/v1/chat/completions": "openai",
  "/anthropic/v1/messages": "anthropic",
};

/** The simulator's mutable state: what it was asked, its fault plan and its pace. */
interface SimState {
  calls: SimCall[];
  faults: FaultPlan;
  /** Idempotency keys whose call completed: a repeat gets the same answer and is flagged as a replay. */
  completedKeys: Set<string>;
  latencyMs: number;
  chunkDelayMs: number;
}

/** One exchange: the vendor, its wire, the request id, and how to answer with an error. */
interface Exchange {
  provider: SimProvider;
  wire: Wire;
  id: string;
  res: http.ServerResponse;
}

function sendError(x: Exchange, status: number, message: string, extra: Record<string, string> = {}) {
  x.res.writeHead(status, { "content-type": "application/json", [x.wire.idHeader]: x.id, ...extra });
  x.res.end(JSON.stringify(x.wire.errorBody(status, message)));
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return null;
  }
}

const refused = (provider: SimProvider, model: string, status: number, stream = false): SimCall => ({
  provider,
  model,
  stream,
  status,
  promptTokens: 0,
  completionTokens: 0,
});

/** Route, authenticate and parse; answers the refusals itself and returns null for them. */
async function acceptRequest(state: SimState, req: http.IncomingMessage, x: Exchange) {
  const body = await readJson(req);
  // Anthropic's SDK sends the key as x-api-key (older releases) or as a bearer token (1.x).
  const key =
    x.provider === "openai" ? req.headers.authorization : (req.headers["x-api-key"] ?? req.headers.authorization);
  if (!key) {
    state.calls.push(refused(x.provider, "?", 401));
    sendError(x, 401, x.wire.missingKey);
    return null;
  }
  if (!body) {
    sendError(x, 400, "request body is not valid JSON");
    return null;
  }
  const parsed = x.wire.parse(body);
  if (typeof parsed === "string") {
    state.calls.push(refused(x.provider, String(body.model ?? "?"), 400));
    sendError(x, 400, parsed);
    return null;
  }
  if (x.provider === "openai" && isReasoningModel(parsed.model) && body.max_tokens !== undefined) {
    state.calls.push(refused(x.provider, parsed.model, 400, parsed.stream));
    sendError(
      x,
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    );
    return null;
  }
  return { parsed, key: String(key) };
}

function recordCall(state: SimState, req: http.IncomingMessage, parsed: ParsedRequest): SimCall {
  const call: SimCall = {
    provider: parsed.provider,
    model: parsed.model,
    stream: parsed.stream,
    status: 200,
    promptTokens: promptTokenCount(parsed.system, parsed.prompt),
    completionTokens: 0,
    system: parsed.system,
    prompt: parsed.prompt,
    body: parsed.body,
  };
  const traceparent = req.headers.traceparent;
  if (typeof traceparent === "string") call.traceparent = traceparent;
  const idempotencyKey = req.headers["idempotency-key"];
  if (typeof idempotencyKey === "string" && idempotencyKey) {
    call.idempotencyKey = idempotencyKey;
    if (state.completedKeys.has(idempotencyKey)) call.replayed = true;
  }
  state.calls.push(call);
  return call;
}

/** A fault that replaces the answer (an HTTP error, a hang, a reset, broken JSON); true when it did. */
async function answerWithFault(x: Exchange, req: http.IncomingMessage, fault: ActiveFault, call: SimCall, key: string) {
  switch (fault.kind) {
    case "status":
      call.status = fault.status;
      sendError(
        x,
        fault.status,
        statusFaultMessage(fault.status, key),
        fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {},
      );
      return true;
    case "timeout":
      await Promise.race([sleep(fault.hangMs), new Promise((r) => x.res.on("close", r))]);
      if (!x.res.writableEnded && !x.res.destroyed) sendError(x, 504, "Simulated gateway timeout");
      return true;
    case "reset":
      req.socket.destroy();
      return true;
    case "malformed":
      x.res.writeHead(200, { "content-type": "application/json", [x.wire.idHeader]: x.id });
      x.res.end('{"id": "broken", "choices": [');
      return true;
    default:
      return false; // stream_cut, stream_error and no_usage shape the answer itself
  }
}

function answerFor(
  state: SimState,
  x: Exchange,
  parsed: ParsedRequest,
  call: SimCall,
  fault: ActiveFault | null,
): Answer {
  const plain = () =>
    simulatedVerdict(parsed.prompt) ?? simulatedAnswer(parsed.model, parsed.system, parsed.prompt, parsed.maxTokens);
  const decision = decide(parsed.conversation, plain);
  const text = decision.kind === "answer" ? decision.text : "";
  const toolCalls = decision.kind === "calls" ? decision.calls : [];
  call.toolCalls = toolCalls;
  const visibleTokens = countTokens(text + toolCalls.map((c) => c.name + JSON.stringify(c.args)).join(""));
  // Reasoning models think before they answer: hidden tokens, billed as output, reported apart.
  const reasoningTokens = x.provider === "openai" && isReasoningModel(parsed.model) ? REASONING_TOKENS : 0;
  call.completionTokens = visibleTokens + reasoningTokens;
  return {
    res: x.res,
    id: x.id,
    request: parsed,
    text,
    toolCalls,
    promptTokens: call.promptTokens,
    completionTokens: call.completionTokens,
    reasoningTokens,
    truncated: visibleTokens >= parsed.maxTokens,
    fault,
    chunkDelayMs: state.chunkDelayMs,
  };
}

/** The request handler: a dispatcher over the routes, the fault plan and the vendors' wire formats. */
async function handle(state: SimState, req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", "http://sim");
  if (url.pathname === "/health") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    return;
  }
  const provider = ROUTES[url.pathname];
  if (!provider || req.method !== "POST") {
    // As web frameworks (Express, NestJS) behind proxies answer: not the vendors' error shape.
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ statusCode: 404, error: "Not Found", message: `Cannot ${req.method} ${url.pathname}` }));
    return;
  }
  const x: Exchange = { provider, wire: WIRES[provider], id: requestId(), res };
  const accepted = await acceptRequest(state, req, x);
  if (!accepted) return;
  const call = recordCall(state, req, accepted.parsed);
  if (state.latencyMs > 0) await sleep(state.latencyMs);
  const fault = call.replayed
    ? null
    : state.faults.pick(accepted.parsed, req.headers[FAULT_HEADER] as string | undefined);
  if (fault) call.fault = fault.kind === "status" ? `status ${fault.status}` : fault.kind;
  if (fault && (await answerWithFault(x, req, fault, call, accepted.key))) return;
  res.on("finish", () => {
    call.completed = true;
    if (call.idempotencyKey) state.completedKeys.add(call.idempotencyKey);
  });
  await x.wire.write(answerFor(state, x, accepted.parsed, call, fault));
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state: SimState = {
    calls: [],
    faults: new FaultPlan(options.seed ?? 1, options.faults ?? []),
    completedKeys: new Set(),
    latencyMs: options.latencyMs ?? 0,
    chunkDelayMs: options.chunkDelayMs ?? 0,
  };
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    handle(state, req, res).catch(() => res.destroy());
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
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/openai/v1`,
    anthropicBaseUrl: `${url}/anthropic`,
    calls: state.calls,
    setFaults: (list) => state.faults.set(list),
    setLatency(ms, chunkMs) {
      state.latencyMs = ms;
      if (chunkMs !== undefined) state.chunkDelayMs = chunkMs;
    },
    resetCalls() {
      state.calls.length = 0;
      state.faults.resetHeaderCounts();
      state.completedKeys.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
