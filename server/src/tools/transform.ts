/** Text/JSON transform tool: small, deterministic reshaping between nodes. */
import { z } from "zod";
import { type Tool, ToolError } from "./types.ts";

const argsSchema = z.strictObject({
  operation: z.enum(["text", "trim", "lower", "upper", "truncate", "lines", "json.parse", "json.stringify", "pick"], {
    message: "expected one of text, trim, lower, upper, truncate, lines, json.parse, json.stringify, pick",
  }),
  value: z.json().optional(),
  maxLength: z.int().min(0).max(10_000_000).optional(),
  path: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: "expected a dotted path such as a.b.0.c" })
    .optional(),
});

const asText = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));

export const transformTool: Tool<typeof argsSchema> = {
  name: "transform",
  aliases: ["Transform", "Format", "Reshape"],
  description: "Reshape text or JSON: trim, case, truncate, split lines, parse/stringify JSON, pick a path.",
  output: "depends on the operation: a string, an array of lines, or the picked/parsed JSON value",
  argsSchema,
  async run(args) {
    const v = args.value;
    switch (args.operation) {
      case "text":
        return asText(v);
      case "trim":
        return asText(v).trim();
      case "lower":
        return asText(v).toLowerCase();
      case "upper":
        return asText(v).toUpperCase();
      case "truncate": {
        const max = args.maxLength ?? 1000;
        const s = asText(v);
        return s.length > max ? s.slice(0, max) : s;
      }
      case "lines":
        return asText(v)
          .split(/\r?\n/)
          .filter((l) => l.trim() !== "");
      case "json.parse":
        try {
          return JSON.parse(asText(v));
        } catch (error) {
          throw new ToolError(`json.parse: ${(error as Error).message}`);
        }
      case "json.stringify":
        return JSON.stringify(v, null, 2);
      case "pick": {
        if (!args.path) throw new ToolError("pick needs a path");
        let cur: unknown = v;
        for (const seg of args.path.split(".")) {
          if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, seg)) {
            throw new ToolError(`pick: '${args.path}' not found (stopped at '${seg}')`);
          }
          cur = (cur as Record<string, unknown>)[seg];
        }
        return cur;
      }
    }
  },
};
