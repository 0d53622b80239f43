/** The `approval` node kind in the document: a person decides; the decision is the branch. */
import { z } from "zod";
import { nodeSchemaOf } from "../node-base.ts";

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

export const approvalNodeSchema = nodeSchemaOf("approval", approvalConfigSchema);

export type ApprovalNode = z.infer<typeof approvalNodeSchema>;
export type ApprovalConfig = z.infer<typeof approvalConfigSchema>;
