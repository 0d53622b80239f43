/**
 * The workflow document (spec §3): one zod schema that validates input at every edge (API, CLI,
 * editor) and produces the typed model, shared by the server and the dashboard. `workflowJsonSchema()`
 * renders it as JSON Schema (docs/workflow.schema.json). Each node kind's config and node schema live
 * in kinds/<kind>.ts; the union of them is here, one line a kind. Its validation rules beyond the
 * shape (known providers and tools, templates, edges) are the server's: server/src/domain/workflow.
 */
import { z } from "zod";
import { agentNodeSchema } from "./kinds/agent.ts";
import { approvalNodeSchema } from "./kinds/approval.ts";
import { codeNodeSchema } from "./kinds/code.ts";
import { llmNodeSchema } from "./kinds/llm.ts";
import { routerNodeSchema } from "./kinds/router.ts";
import { toolNodeSchema } from "./kinds/tool.ts";
import { workflowNodeSchema } from "./kinds/workflow.ts";
import { nodeId } from "./node-base.ts";

export * from "./kinds/agent.ts";
export * from "./kinds/approval.ts";
export * from "./kinds/code.ts";
export * from "./kinds/llm.ts";
export * from "./kinds/router.ts";
export * from "./kinds/tool.ts";
export * from "./kinds/workflow.ts";
export * from "./node-base.ts";

const NODE_SCHEMAS = [
  llmNodeSchema,
  agentNodeSchema,
  toolNodeSchema,
  routerNodeSchema,
  approvalNodeSchema,
  codeNodeSchema,
  workflowNodeSchema,
] as const;
const TYPE_MESSAGE = `expected type to be one of ${NODE_SCHEMAS.map((s) => s.shape.type.value).join(", ")}`;

export const nodeSchema = z.discriminatedUnion("type", NODE_SCHEMAS, {
  error: (issue) => (issue.code === "invalid_union" ? { message: TYPE_MESSAGE } : undefined),
});

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

/** A run input the workflow declares: what MCP clients and parent workflows see as its arguments. */
export const inputDeclarationSchema = z.strictObject({
  type: z
    .enum(["string", "number", "integer", "boolean", "object", "array"], {
      message: "expected string, number, integer, boolean, object or array",
    })
    .default("string"),
  description: z.string().max(1_000).optional(),
  required: z.boolean().default(true),
});

export const inputDeclarationsSchema = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, { message: "expected an input name (letters, digits, _ or -)" }),
    inputDeclarationSchema,
  )
  .describe("The run inputs it takes ({{input.<name>}}): their types, descriptions, and which are required.");

export type InputDeclarations = z.infer<typeof inputDeclarationsSchema>;

export const workflowSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal("1", { message: 'expected version "1"' }),
  entry: nodeId,
  nodes: z.array(nodeSchema).min(1, { message: "expected at least one node" }),
  edges: z.array(edgeSchema).default([]),
  limits: limitsSchema.optional(),
  parallel: z.boolean().optional().describe("Run nodes of the same level concurrently."),
  inputs: inputDeclarationsSchema.optional(),
});

export type Workflow = z.infer<typeof workflowSchema>;
export type WorkflowInput = z.input<typeof workflowSchema>;
export type WorkflowNode = z.infer<typeof nodeSchema>;
export type WorkflowEdge = z.infer<typeof edgeSchema>;
export type WorkflowLimits = z.infer<typeof limitsSchema>;
export type NodeType = WorkflowNode["type"];

/**
 * The node types whose steps call models. A succeeded step of one without a cost was unpriced: the
 * run's cost is then a lower bound, and the dashboard says "unknown", never 0.
 */
export const MODEL_CALLING_TYPES: readonly NodeType[] = ["llm", "agent", "workflow"];
export const callsModels = (nodeType: string | undefined): boolean =>
  nodeType !== undefined && (MODEL_CALLING_TYPES as readonly string[]).includes(nodeType);

/** Every node type, in the union's order. */
export const NODE_TYPES: readonly NodeType[] = nodeSchema.options.map((o) => o.shape.type.value);

/** The document schema as JSON Schema (draft 2020-12), for editors and API consumers. */
export function workflowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(workflowSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
