/** The `llm` node kind in the document: one prompt to a model, with retries, fallbacks and the cache. */
import { z } from "zod";
import { cacheSchema, modelName, nodeSchemaOf, providerName, providerRefSchema, retrySchema } from "../node-base.ts";
import { structuredOutputSchema } from "./structured-output.ts";

export const llmConfigSchema = z.strictObject({
  provider: providerName.describe("openai, anthropic, or a configured OpenAI-compatible provider name."),
  model: modelName,
  system: z.string().max(100_000).optional(),
  prompt: z.string().max(200_000).optional().describe("Template; defaults to the node's rendered inputs."),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.int().min(1).max(1_000_000).optional(),
  timeoutMs: z.int().min(100).max(600_000).optional(),
  retry: retrySchema.optional(),
  fallbacks: z.array(providerRefSchema).max(5).optional(),
  cache: cacheSchema.optional().describe("Exact-match cache; on unless false."),
  output: structuredOutputSchema
    .optional()
    .describe("A structured answer: the step's output is the parsed object (one repair when it does not match)."),
  fault: z
    .string()
    .regex(/^[a-zA-Z]+=[\w.]+(;[a-zA-Z]+=[\w.]+)*$/, { message: "expected a fault such as status=500;count=2" })
    .optional()
    .describe(
      "Demo only: a fault the built-in simulator injects (e.g. status=500;count=2); real providers never see it.",
    ),
});

export const llmNodeSchema = nodeSchemaOf("llm", llmConfigSchema);

export type LlmNode = z.infer<typeof llmNodeSchema>;
export type LlmConfig = z.infer<typeof llmConfigSchema>;
