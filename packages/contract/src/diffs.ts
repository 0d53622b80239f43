/**
 * The shapes of the diffs FlowTrace answers (GraphQL `Run.diff`, `Workflow.versionDiff`; REST in
 * snake_case): declared once here; the server's types and the dashboard's are inferred from them. Pure.
 */
import { z } from "zod";

const pair = <T extends z.ZodType>(t: T) => z.tuple([t, t]).describe("[against, this run]");

export const pathChangeSchema = z.object({
  path: z.string().describe("Where the value changed; empty for the whole value."),
  old: z.unknown().optional().describe("The value before (absent when the path is new)."),
  new: z.unknown().optional().describe("The value now (absent when the path is gone)."),
});

export const lineChangeSchema = z.object({
  op: z.enum(["same", "added", "removed"]),
  text: z.string().describe("One or more whole lines."),
});

export const valueDiffSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), lines: z.array(lineChangeSchema) }),
  z.object({ kind: z.literal("json"), changes: z.array(pathChangeSchema) }),
]);

export const stepDiffSchema = z.object({
  nodeId: z.string(),
  presence: z.enum(["both", "added", "removed"]).describe("added: only in this run; removed: only in the other."),
  status: pair(z.string().nullable()),
  outputChanged: z.boolean(),
  outputDiff: valueDiffSchema.nullable(),
  configChanged: z.boolean(),
  configDiff: z.array(pathChangeSchema),
  branch: pair(z.unknown()),
  tokens: pair(z.number().nullable()),
  costCents: pair(z.string().nullable()),
  latencyMs: pair(z.number().nullable()),
  reused: pair(z.boolean().nullable()),
});

export const runDiffSchema = z.object({
  steps: z.array(stepDiffSchema),
  totals: z.object({
    status: pair(z.string()),
    tokens: pair(z.number()),
    costCents: pair(z.string()),
    costComplete: pair(z.boolean()),
    latencyMs: pair(z.number()),
  }),
});

const docNode = z.looseObject({ id: z.string() });
const docEdge = z.object({ from: z.string(), to: z.string(), when: z.string().optional() });

export const workflowDiffSchema = z.object({
  nodes: z.object({
    added: z.array(docNode),
    removed: z.array(docNode),
    changed: z.array(z.object({ id: z.string(), changes: z.array(pathChangeSchema) })),
  }),
  edges: z.object({ added: z.array(docEdge), removed: z.array(docEdge) }),
  settings: z.array(pathChangeSchema),
});

export type PathChange = z.infer<typeof pathChangeSchema>;
export type LineChange = z.infer<typeof lineChangeSchema>;
export type ValueDiff = z.infer<typeof valueDiffSchema>;
export type StepDiff = z.infer<typeof stepDiffSchema>;
export type RunDiff = z.infer<typeof runDiffSchema>;
export type WorkflowDiff = z.infer<typeof workflowDiffSchema>;
