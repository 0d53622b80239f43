/**
 * The workflow document (spec §3): one zod schema that validates input at every edge (API, CLI,
 * editor) and produces the typed model. `workflowJsonSchema()` renders it as JSON Schema.
 */
import { z } from "zod";

export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Names the router/edge expression scope reserves; inputs cannot use them. */
export const RESERVED_SCOPE_NAMES = new Set(["inputs", "input", "output", "branch", "true", "false", "null"]);

const nodeId = z
  .string({ message: "expected a string id" })
  .regex(ID_PATTERN, { message: "expected an id: a letter or _, then letters, digits, _ or - (at most 64)" });

const inputName = z
  .string()
  .regex(INPUT_NAME_PATTERN, { message: "expected an input name: a letter or _, then letters, digits or _" })
  .refine((k) => !RESERVED_SCOPE_NAMES.has(k), { message: "this input name is reserved" });

const providerName = z.string({ message: "expected a provider name" }).min(1, { message: "expected a provider name" });
const modelName = z.string({ message: "expected a model name" }).min(1, { message: "expected a model name" });

export const providerRefSchema = z.strictObject({ provider: providerName, model: modelName });

export const retrySchema = z.strictObject({
  attempts: z.int().min(0).max(10).describe("Retries after the first attempt for transient errors."),
  backoffBaseMs: z.int().min(0).max(60_000).optional(),
  backoffMaxMs: z.int().min(0).max(600_000).optional(),
});

export const cacheSchema = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z.boolean().optional(),
    ttlSeconds: z
      .int()
      .min(1)
      .max(365 * 24 * 3600)
      .optional(),
  }),
]);

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
  fault: z
    .string()
    .regex(/^[a-zA-Z]+=[\w.]+(;[a-zA-Z]+=[\w.]+)*$/, { message: "expected a fault such as status=500;count=2" })
    .optional()
    .describe(
      "Demo only: a fault the built-in simulator injects (e.g. status=500;count=2); real providers never see it.",
    ),
});

/** Tool config is interpreted through the tool registry: `{tool, args}` or the tool's args inline. */
export const toolConfigSchema = z.record(z.string(), z.json());

export const routerConfigSchema = z.strictObject({
  rule: z.string({ message: "expected a rule expression" }).min(1, { message: "expected a rule expression" }),
});

/** The longest an approval may wait: 30 days. */
export const MAX_APPROVAL_TIMEOUT_SECONDS = 30 * 24 * 3600;
/** The branch values an approval sets, for edges to gate on (`when: "branch=='approved'"`). */
export const APPROVAL_BRANCHES = ["approved", "rejected"] as const;

export const approvalConfigSchema = z.strictObject({
  message: z
    .string({ message: "expected a message for the approver" })
    .min(1, { message: "expected a message for the approver" })
    .max(20_000)
    .describe("Template shown to the approver, rendered with the node's inputs."),
  timeoutSeconds: z
    .int({ message: "expected a whole number of seconds" })
    .min(1, { message: "expected at least 1 second" })
    .max(MAX_APPROVAL_TIMEOUT_SECONDS, {
      message: `expected at most ${MAX_APPROVAL_TIMEOUT_SECONDS} seconds (30 days)`,
    })
    .optional()
    .describe("How long the approval may wait; no deadline when omitted."),
  onTimeout: z
    .enum(["reject", "approve", "fail"], { message: "expected onTimeout to be one of reject, approve, fail" })
    .optional()
    .describe('What the deadline decides: "fail" (default) fails the step, "approve" or "reject" decide it.'),
});

const position = z.strictObject({ x: z.number(), y: z.number() }).optional().describe("Editor layout only.");
const inputs = z.record(inputName, z.json()).optional();
const name = z.string({ message: "expected a name" }).min(1, { message: "expected a name" }).max(200);

export const llmNodeSchema = z.strictObject({
  id: nodeId,
  type: z.literal("llm"),
  name,
  config: llmConfigSchema,
  inputs,
  position,
});
export const toolNodeSchema = z.strictObject({
  id: nodeId,
  type: z.literal("tool"),
  name,
  config: toolConfigSchema,
  inputs,
  position,
});
export const routerNodeSchema = z.strictObject({
  id: nodeId,
  type: z.literal("router"),
  name,
  config: routerConfigSchema,
  inputs,
  position,
});

export const approvalNodeSchema = z.strictObject({
  id: nodeId,
  type: z.literal("approval"),
  name,
  config: approvalConfigSchema,
  inputs,
  position,
});

export const nodeSchema = z.discriminatedUnion(
  "type",
  [llmNodeSchema, toolNodeSchema, routerNodeSchema, approvalNodeSchema],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? { message: "expected type to be one of llm, tool, router, approval" }
        : undefined,
  },
);

export const edgeSchema = z.strictObject({
  from: nodeId,
  to: nodeId,
  when: z.string().min(1, { message: "expected an expression (or omit when)" }).optional(),
});

export const limitsSchema = z.strictObject({
  maxNodes: z.int().min(1).optional(),
  maxTokens: z.int().min(1).optional(),
  timeoutSeconds: z.number().positive().optional(),
  maxCostCents: z.number().min(0).optional().describe("Hard per-run budget in US cents."),
});

export const workflowSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal("1", { message: 'expected version "1"' }),
  entry: nodeId,
  nodes: z.array(nodeSchema).min(1, { message: "expected at least one node" }),
  edges: z.array(edgeSchema).default([]),
  limits: limitsSchema.optional(),
  parallel: z.boolean().optional().describe("Run nodes of the same level concurrently."),
});

export type Workflow = z.infer<typeof workflowSchema>;
export type WorkflowInput = z.input<typeof workflowSchema>;
export type WorkflowNode = z.infer<typeof nodeSchema>;
export type LlmNode = z.infer<typeof llmNodeSchema>;
export type ToolNode = z.infer<typeof toolNodeSchema>;
export type RouterNode = z.infer<typeof routerNodeSchema>;
export type ApprovalNode = z.infer<typeof approvalNodeSchema>;
export type ApprovalConfig = z.infer<typeof approvalConfigSchema>;
export type WorkflowEdge = z.infer<typeof edgeSchema>;
export type WorkflowLimits = z.infer<typeof limitsSchema>;
export type LlmConfig = z.infer<typeof llmConfigSchema>;
export type NodeType = WorkflowNode["type"];

/** The document schema as JSON Schema (draft 2020-12), for editors and API consumers. */
export function workflowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(workflowSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
