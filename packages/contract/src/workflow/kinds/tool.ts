/** The `tool` node kind in the document: a catalog tool run with (templated) arguments. */
import { z } from "zod";
import { nodeSchemaOf } from "../node-base.ts";

/** Tool config is interpreted through the tool registry: `{tool, args}` or the tool's args inline. */
export const toolConfigSchema = z.record(z.string(), z.json());

export const toolNodeSchema = nodeSchemaOf("tool", toolConfigSchema);

export type ToolNode = z.infer<typeof toolNodeSchema>;
