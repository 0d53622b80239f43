/** Token counts by price class, as providers report them and the trace records them. */
import { z } from "zod";

export const usageSchema = z
  .object({
    inputTokens: z.int().describe("Prompt tokens at the plain input price (cached reads and cache writes excluded)."),
    cachedInputTokens: z.int().describe("OpenAI cached prompt tokens / Anthropic cache reads."),
    cacheWriteTokens: z.int().describe("Anthropic cache writes."),
    outputTokens: z.int().describe("Completion tokens, reasoning included."),
    reasoningTokens: z.int().describe("Reasoning tokens (part of outputTokens; informational)."),
  })
  .describe("Token counts by price class.")
  .meta({ id: "Usage" });

export type Usage = z.infer<typeof usageSchema>;
