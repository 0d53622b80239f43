/**
 * FlowTrace's tokenizer: o200k_base (GPT-4o's BPE). The simulator reports usage with it, and a
 * provider that reports no usage has its tokens counted with it (marked "estimated": another
 * vendor's tokenizer differs by a few percent).
 */
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import type { Usage } from "../domain/pricing/pricing.ts";

let encoder: Tiktoken | undefined;
/** Pieces without whitespace longer than this are counted in slices of this size. */
const LONG_RUN = 16;
const LONG_RUNS = new RegExp(`\\S{${LONG_RUN + 1},}`, "g");
/** Characters of such runs counted exactly per call; the rest is extrapolated from them. */
const LONG_RUN_BUDGET = 16_384;

/**
 * Token count with the o200k_base BPE (GPT-4o's tokenizer); used for both vendors' simulated usage.
 * js-tiktoken's merging is quadratic in the length of one piece between spaces (16,000 characters
 * without a space take 18 s, all on the event loop), so such runs are counted 16 characters at a
 * time, and past 16 KiB of them the count is extrapolated from what was counted: deterministic,
 * linear, and close to the exact figure.
 */
export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200k);
  let total = 0;
  let from = 0;
  let counted = 0;
  let countedTokens = 0;
  let skipped = 0;
  for (const run of text.matchAll(LONG_RUNS)) {
    total += encoder.encode(text.slice(from, run.index)).length;
    for (let i = 0; i < run[0].length; i += LONG_RUN) {
      const piece = run[0].slice(i, i + LONG_RUN);
      if (counted >= LONG_RUN_BUDGET) {
        skipped += piece.length;
        continue;
      }
      countedTokens += encoder.encode(piece).length;
      counted += piece.length;
    }
    from = run.index + run[0].length;
  }
  const extrapolated = counted > 0 ? Math.round((skipped * countedTokens) / counted) : 0;
  return total + countedTokens + extrapolated + encoder.encode(text.slice(from)).length;
}

/** Chat-format overhead: the role markers and reply priming around the messages (OpenAI's formula). */
const CHAT_OVERHEAD_TOKENS = 3;

/** Tokens of a prompt as sent: the system and user messages plus the chat format's overhead. */
export function promptTokenCount(system: string, prompt: string): number {
  return countTokens(system) + countTokens(prompt) + CHAT_OVERHEAD_TOKENS;
}

/** Usage counted here when the provider reported none: the prompt as sent, the text as received. */
export function estimateUsage(system: string, prompt: string, text: string): Usage {
  return {
    inputTokens: promptTokenCount(system, prompt),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: countTokens(text),
    reasoningTokens: 0,
  };
}
