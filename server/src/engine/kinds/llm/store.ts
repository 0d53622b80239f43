/**
 * What the LLM step remembers across calls and executors: the exact-match cache (lookups with hit
 * statistics, writes of answers) and the crash-resume journal (the step's last recorded answer).
 * `LlmStore` is the interface the chain sees; `prismaLlmStore` is its PostgreSQL implementation.
 */
import { Prisma, type PrismaClient } from "../../../db/prisma.ts";
import type { Cents } from "../../../domain/pricing/money.ts";
import type { Usage } from "../../../domain/pricing/pricing.ts";
import { storableString } from "../../../domain/storable-json.ts";
import type { LlmResult, ToolCall, UsageSource } from "../../../providers/types.ts";

/** A stored answer, as a hit replays it. */
export interface CachedAnswer {
  text: string;
  requestId: string | null;
  finishReason: string | null;
  model: string;
  /** Absent in entries stored before usage estimation existed: those came from provider reports. */
  usageSource?: UsageSource;
  /** An agent's call: the tools the model asked to call (absent for an `llm` step's answer). */
  toolCalls?: ToolCall[];
}

export interface CacheHit {
  answer: CachedAnswer;
  /** What the original call cost; null when it was unpriced. */
  costCents: string | null;
  /** The original call's usage. */
  usage: unknown;
}

export interface CacheEntry {
  key: string;
  provider: string;
  model: string;
  result: LlmResult;
  cost: Cents | null;
  ttlSeconds?: number | undefined;
  /** Store the answer's tool calls too (an agent's call). */
  withToolCalls?: boolean;
}

/** A step's `llm.response` as stored (payload unparsed: the journal parses it with the event's schema). */
export interface RecordedEvent {
  seq: number;
  payload: unknown;
}

export interface LlmStore {
  /** The cache entry under `key` unless it expired. */
  findCached(key: string): Promise<CacheHit | null>;
  /** Store an answer; a concurrent writer's entry under the same key wins quietly. */
  storeCached(entry: CacheEntry): Promise<void>;
  /** The step's last stored `llm.response`, for a resumed step. */
  lastResponse(runId: string, stepId: string): Promise<RecordedEvent | null>;
  /** The step's stored events of these kinds, in order (an agent's journal). */
  stepEvents(runId: string, stepId: string, kinds: readonly string[]): Promise<(RecordedEvent & { kind: string })[]>;
}

export function usagePayload(u: Usage) {
  return {
    inputTokens: u.inputTokens,
    cachedInputTokens: u.cachedInputTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    outputTokens: u.outputTokens,
    reasoningTokens: u.reasoningTokens,
  };
}

export function prismaLlmStore(prisma: PrismaClient): LlmStore {
  return {
    findCached: (key) => findCached(prisma, key),
    storeCached: (entry) => storeCached(prisma, entry),
    async lastResponse(runId, stepId) {
      const row = await prisma.traceEvent.findFirst({
        where: { runId, stepId, kind: "llm.response" },
        orderBy: { seq: "desc" },
      });
      return row ? { seq: row.seq, payload: row.payload } : null;
    },
    async stepEvents(runId, stepId, kinds) {
      const rows = await prisma.traceEvent.findMany({
        where: { runId, stepId, kind: { in: [...kinds] } },
        orderBy: { seq: "asc" },
        select: { seq: true, kind: true, payload: true },
      });
      return rows;
    },
  };
}

/** The entry under `key` unless it expired; its hit is counted without making the caller wait. */
export async function findCached(prisma: PrismaClient, key: string, now = new Date()): Promise<CacheHit | null> {
  const hit = await prisma.llmCache.findUnique({ where: { keyHash: key } });
  if (!hit || (hit.expiresAt && hit.expiresAt <= now)) return null;
  void prisma.llmCache
    .update({ where: { keyHash: key }, data: { hitCount: { increment: 1 }, lastHitAt: new Date() } })
    .catch(() => {});
  return {
    answer: hit.response as unknown as CachedAnswer,
    costCents: hit.costCents?.toString() ?? null,
    usage: hit.usage,
  };
}

/** Store an answer; INSERT … ON CONFLICT DO NOTHING (another executor may have stored it meanwhile). */
export async function storeCached(prisma: PrismaClient, entry: CacheEntry): Promise<void> {
  const { result } = entry;
  const answer: CachedAnswer = {
    // As stored in the step: bytes PostgreSQL refuses are replaced, so the cache can keep it.
    text: storableString(result.text),
    requestId: result.requestId,
    finishReason: result.finishReason,
    model: result.model,
    usageSource: result.usageSource,
    ...(entry.withToolCalls ? { toolCalls: result.toolCalls } : {}),
  };
  await prisma.llmCache.createMany({
    data: [
      {
        keyHash: entry.key,
        provider: entry.provider,
        model: entry.model,
        response: answer as object,
        usage: usagePayload(result.usage) as object,
        costCents: entry.cost ? new Prisma.Decimal(entry.cost.toString()) : null,
        expiresAt: entry.ttlSeconds ? new Date(Date.now() + entry.ttlSeconds * 1000) : null,
      },
    ],
    skipDuplicates: true,
  });
}
