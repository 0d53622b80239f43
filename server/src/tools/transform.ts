/** Text/JSON transform tool: small, deterministic reshaping between nodes. */
import { BUILTIN_TOOL_SPECS, type transformArgsSchema } from "@flowtrace/contract/tools";
import { type Tool, ToolError } from "./types.ts";

const asText = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));

export const transformTool: Tool<typeof transformArgsSchema> = {
  ...BUILTIN_TOOL_SPECS.transform,
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
