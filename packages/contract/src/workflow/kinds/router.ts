/** The `router` node kind in the document: a rule whose value is the branch its edges gate on. */
import { z } from "zod";
import { nodeSchemaOf } from "../node-base.ts";

export const routerConfigSchema = z.strictObject({
  rule: z.string({ message: "expected a rule expression" }).min(1, { message: "expected a rule expression" }),
});

export const routerNodeSchema = nodeSchemaOf("router", routerConfigSchema);

export type RouterNode = z.infer<typeof routerNodeSchema>;
