/** A structured answer (`output` of `llm` and `agent` nodes): the JSON Schema the answer must follow. */
import { z } from "zod";

/** What vendors accept as a tool's (and a schema's) name. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export const structuredOutputSchema = z.strictObject({
  schema: z
    .record(z.string(), z.json())
    .describe("The answer's JSON Schema (an object schema). The step's output is the parsed answer."),
  name: z
    .string()
    .regex(TOOL_NAME_PATTERN, { message: "expected letters, digits, _ or -" })
    .optional()
    .describe("The schema's name sent to the vendor (default: answer)."),
});
