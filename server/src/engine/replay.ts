/**
 * Replay: a re-run answered entirely from its parent's recording. Each LLM or tool request is looked
 * up by the canonical key of the request as sent; a hit is the recorded answer (no call, cost 0), a
 * miss fails the step with a `replay.miss` event showing how the request differs from the recording.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { canonicalJson } from "../domain/canonical-json.ts";
import { pathChanges } from "../domain/diff.ts";
import type { StepContext } from "./step-context.ts";

export interface LlmReplayRequest {
  provider: string;
  model: string;
  system: string | null;
  prompt: string;
  temperature: number | null;
  maxTokens: number;
}

export interface ToolReplayRequest {
  tool: string;
  args: unknown;
}

type Request = ({ kind: "llm" } & LlmReplayRequest) | ({ kind: "tool" } & ToolReplayRequest);

/** What the parent recorded: answers by request key, and each node's requests (for a miss's diff). */
export interface ReplayBook {
  sourceRunId: string;
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
    const { provider, model, system, prompt, temperature, maxTokens } = p as unknown as LlmReplayRequest;
    return { kind: "llm", provider, model, system, prompt, temperature, maxTokens };
  }
  if (kind === "tool.request") return { kind: "tool", tool: String(p.tool), args: p.args };
  return null;
}

/** Pairs every recorded request with the answer that followed it in the same step. */
export async function loadReplayBook(prisma: PrismaClient, parentRunId: string): Promise<ReplayBook> {
  const [steps, events] = await Promise.all([
    prisma.runStep.findMany({ where: { runId: parentRunId }, select: { id: true, nodeId: true, output: true } }),
    prisma.traceEvent.findMany({
      where: {
        runId: parentRunId,
        kind: { in: ["llm.request", "llm.response", "tool.request", "tool.response", "cache.hit"] },
      },
      orderBy: { seq: "asc" },
    }),
  ]);
  const nodeOf = new Map(steps.map((s) => [s.id, s.nodeId]));
  const outputOf = new Map(steps.map((s) => [s.id, s.output]));
  const book: ReplayBook = { sourceRunId: parentRunId, answers: new Map(), requestsByNode: new Map() };
  const pending = new Map<string, Request>();
  for (const e of events) {
    const stepId = e.stepId ?? "";
    const payload = e.payload as Record<string, unknown>;
    if (e.kind === "cache.hit") {
      // Answered from the cache, so no request was recorded: the cache key names it, the step holds the answer.
      book.answers.set(cacheAnswerKey(String(payload.key)), outputOf.get(stepId));
      continue;
    }
    const request = recordedRequest(e.kind, payload);
    if (request) {
      pending.set(stepId, request);
      const node = nodeOf.get(stepId) ?? "";
      book.requestsByNode.set(node, [...(book.requestsByNode.get(node) ?? []), request]);
      continue;
    }
    const asked = pending.get(stepId);
    if (!asked) continue;
    book.answers.set(replayKey(asked), e.kind === "llm.response" ? payload.text : payload.output);
    pending.delete(stepId);
  }
  return book;
}

export class ReplayMissError extends Error {
  override readonly name = "ReplayMissError";
}

/** The recorded answer to `request`, or a `replay.miss` event and a ReplayMissError. */
export function replayed(ctx: StepContext, nodeId: string, request: Request, cacheKey?: string): unknown {
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
