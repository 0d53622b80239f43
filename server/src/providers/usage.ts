/** The usage a call reports, or, when the provider sent none, the tokens counted here (marked estimated). */
import type { Usage } from "../domain/pricing/pricing.ts";
import { estimateUsage } from "./tokenizer.ts";
import type { LlmResult } from "./types.ts";

/**
 * `reported` is null when the response carried no usage; a report of zero tokens for a non-empty
 * answer is no report either (some compatible servers send `usage` with every count at 0).
 */
export function usageOrEstimate(
  reported: Usage | null,
  call: { system: string | undefined; prompt: string; text: string },
): Pick<LlmResult, "usage" | "usageSource" | "usageNote"> {
  const counted = reported ? reported.inputTokens + reported.cachedInputTokens + reported.cacheWriteTokens : 0;
  const zero = reported !== null && counted === 0 && reported.outputTokens === 0 && call.text !== "";
  if (reported && !zero) return { usage: reported, usageSource: "provider" };
  return {
    usage: estimateUsage(call.system ?? "", call.prompt, call.text),
    usageSource: "estimated",
    usageNote: zero ? "the provider reported 0 tokens for a non-empty answer" : "the provider reported no usage",
  };
}
