/**
 * The `workflow` node kind in the document: another workflow of the project run as a run of its own
 * (a sub-workflow), with inputs rendered from this one; its output is the step's output, its
 * tokens and cost count in this run's. `version` pins one (default: the latest when the calling
 * run starts the child, recorded on the child run).
 */
import { z } from "zod";
import { nodeSchemaOf } from "../node-base.ts";

export const workflowConfigSchema = z.strictObject({
  workflow: z.uuid({ message: "expected the id of a workflow of this project" }),
  version: z.int().min(1).optional().describe("A version of it (default: the latest when the child starts)."),
  inputs: z
    .record(z.string(), z.json())
    .optional()
    .describe('The child run inputs; templates allowed: {"topic": "{{node.a.output}}"}.'),
});

export const workflowNodeSchema = nodeSchemaOf("workflow", workflowConfigSchema);

export type WorkflowNodeDoc = z.infer<typeof workflowNodeSchema>;
export type WorkflowCallConfig = z.infer<typeof workflowConfigSchema>;
