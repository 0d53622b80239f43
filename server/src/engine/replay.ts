/**
 * Replay: a re-run answered entirely from its parent's recording. Each LLM or tool request is looked
 * up by the canonical key of the request as sent; a hit is the recorded answer (no call, cost 0), a
 * miss fails the step with a `replay.miss` event showing how the request differs from the recording.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { canonicalJson } from "../domain/canonical-json.ts";
import { pathChanges } from "../domain/diff.ts";
import type { StepRecorder } from "../trace/recorder.ts";
import { ReplayMissError } from "./run-errors.ts";

export interface LlmReplayRequest {
  provider: string;
  model: string;
  system: string | null;
  prompt: string;
  temperature: number | null;
  maxTokens: number;
  /** An agent's call: the key of its whole conversation and tools (absent for an `llm` step). */
  conversationKey?: string;
}

export interface ToolReplayRequest {
  tool: string;
  args: unknown;
}

type Request = ({ kind: "llm" } & LlmReplayRequest) | ({ kind: "tool" } & ToolReplayRequest);

/** What the parent recorded: answers by request key, and each node's requests (for a miss's diff). */
export interface ReplayBook {
  sourceRunId: string;
  /** When the recorded run started: a replayed code step's clock (Date) is the one the recording had. */
  sourceStartedAt: Date | null;
  answers: Map<string, unknown>;
  requestsByNode: Map<string, Request[]>;
}

/** The same canonical JSON the cache keys are made of, over the fields that make a request. */
export function replayKey(request: Request): string {
  return canonicalJson(request);
}

/** Where a cache-answered call of the parent is booked: by its exact-match cache key. */
export const cacheAnswerKey = (key: string) => `cache:${key}`;

/** The request an `llm.request` / `tool.request` event recorded. */
function recordedRequest(kind: string, p: Record<string, unknown>): Request | null {
  if (kind === "llm.request") {
    const { provider, model, system, prompt, temperature, maxTokens, conversationKey } =
      p as unknown as LlmReplayRequest;
    const request = { kind: "llm" as const, provider, model, system, prompt, temperature, maxTokens };
    return conversationKey ? { ...request, conversationKey } : request;
  }
  if (kind === "tool.request") return { kind: "tool", tool: String(p.tool), args: p.args };
  return null;
}

const STEP_FIELDS = { id: true, nodeId: true, output: true, reused: true, sourceStepId: true } as const;

/**
 * The steps whose events hold the run's recording: its own, and for a step it reused (a re-run),
 * the source step it came from — followed back through re-runs of re-runs.
 */
async function recordingSteps(prisma: PrismaClient, runId: string) {
  const nodeOf = new Map<string, string>();
  const outputOf = new Map<string, unknown>();
  let frontier = await prisma.runStep.findMany({ where: { runId }, select: STEP_FIELDS });
  for (let hops = 0; frontier.length > 0 && hops < 100; hops++) {
    for (const s of frontier) {
      nodeOf.set(s.id, nodeOf.get(s.id) ?? s.nodeId);
      outputOf.set(s.id, s.output);
    }
    const sources = frontier
      .filter((s) => s.reused && s.sourceStepId && !nodeOf.has(s.sourceStepId))
      .map((s) => s.sourceStepId as string);
    frontier = sources.length
      ? await prisma.runStep.findMany({ where: { id: { in: sources } }, select: STEP_FIELDS })
      : [];
  }
  return { nodeOf, outputOf };
}

const RECORDED_KINDS = ["llm.request", "llm.response", "tool.request", "tool.response", "cache.hit"];

/** Pairs every recorded request with the answer that followed it in the same step. */
export async function loadReplayBook(prisma: PrismaClient, parentRunId: string): Promise<ReplayBook> {
  const { nodeOf, outputOf } = await recordingSteps(prisma, parentRunId);
  const events = await prisma.traceEvent.findMany({
    where: { stepId: { in: [...nodeOf.keys()] }, kind: { in: RECORDED_KINDS } },
    orderBy: [{ runId: "asc" }, { seq: "asc" }],
  });
  const source = await prisma.workflowRun.findUnique({ where: { id: parentRunId }, select: { startedAt: true } });
  const book: ReplayBook = {
    sourceRunId: parentRunId,
    sourceStartedAt: source?.startedAt ?? null,
    answers: new Map(),
    requestsByNode: new Map(),
  };
  const pending = new Map<string, Request>();
  for (const e of events) bookEvent(book, pending, e, nodeOf, outputOf);
  return book;
}

function bookEvent(
  book: ReplayBook,
  pending: Map<string, Request>,
  e: { stepId: string | null; kind: string; payload: unknown },
  nodeOf: Map<string, string>,
  outputOf: Map<string, unknown>,
): void {
  const stepId = e.stepId ?? "";
  const payload = e.payload as Record<string, unknown>;
  if (e.kind === "cache.hit") {
    // Answered from the cache, so no request was recorded: the cache key names it, and the step holds
    // the answer (an agent's hit carries its turn itself: the step's output is the final answer).
    book.answers.set(cacheAnswerKey(String(payload.key)), payload.answer ?? outputOf.get(stepId));
    return;
  }
  // An agent's tool calls run side by side: each request pairs with its own answer by call id.
  const pairing = `${stepId}|${typeof payload.toolCallId === "string" ? payload.toolCallId : ""}`;
  const request = recordedRequest(e.kind, payload);
  if (request) {
    pending.set(pairing, request);
    const node = nodeOf.get(stepId) ?? "";
    book.requestsByNode.set(node, [...(book.requestsByNode.get(node) ?? []), request]);
    return;
  }
  const asked = pending.get(pairing);
  if (!asked) return;
  book.answers.set(replayKey(asked), recordedAnswer(e.kind, payload));
  pending.delete(pairing);
}

/** What a recorded response answers: the text, an agent's turn (text and tool calls), or a tool's output. */
function recordedAnswer(kind: string, payload: Record<string, unknown>): unknown {
  if (kind !== "llm.response") return payload.isError ? { isError: true, output: payload.output } : payload.output;
  return Array.isArray(payload.toolCalls) ? { text: payload.text, toolCalls: payload.toolCalls } : payload.text;
}

/** The recorded answer to `request`, or a `replay.miss` event and a ReplayMissError. */
export function replayed(
  ctx: { replay?: ReplayBook | undefined; recorder: StepRecorder; stepId: string },
  nodeId: string,
  request: Request,
  cacheKey?: string,
): unknown {
  const book = ctx.replay as ReplayBook;
  for (const key of [replayKey(request), ...(cacheKey ? [cacheAnswerKey(cacheKey)] : [])]) {
    if (book.answers.has(key)) return book.answers.get(key);
  }
  const recorded = (book.requestsByNode.get(nodeId) ?? []).find((r) => r.kind === request.kind) ?? null;
  ctx.recorder.emit("replay.miss", ctx.stepId, {
    nodeId,
    sourceRunId: book.sourceRunId,
    request,
    recorded,
    diff: recorded ? pathChanges(recorded, request) : [],
  });
  throw new ReplayMissError(
    `replay miss: ${nodeId}'s ${request.kind === "llm" ? "LLM" : "tool"} request differs from run ${book.sourceRunId.slice(0, 8)}'s recording${recorded ? "" : " (it recorded none for this node)"}`,
  );
}
