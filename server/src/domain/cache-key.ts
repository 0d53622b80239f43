/**
 * Exact-match cache key: SHA-256 of the canonical JSON of everything that changes the answer.
 * Uses Web Crypto's digest (available in Node and browsers), so it stays pure of Node APIs.
 */
import { canonicalJson } from "./canonical-json.ts";

export interface CacheKeyInput {
  provider: string;
  model: string;
  system: string | null;
  /** The rendered prompt / messages exactly as sent. */
  prompt: string;
  /** The node's rendered inputs. */
  inputs: unknown;
  /** Every generation parameter that changes the answer (temperature, maxTokens, …). */
  params: Record<string, unknown>;
}

export const CACHE_KEY_VERSION = 1;

export function cacheKeyMaterial(input: CacheKeyInput): string {
  return canonicalJson({ v: CACHE_KEY_VERSION, ...input });
}

export async function cacheKey(input: CacheKeyInput): Promise<string> {
  const bytes = new TextEncoder().encode(cacheKeyMaterial(input));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
