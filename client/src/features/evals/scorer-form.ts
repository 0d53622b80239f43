/** The experiment form's scorer rows → scorers as the server takes them (it validates them again). */
export const SCORER_TYPES = [
  { type: "contains", arg: "text (empty: the item's expected)" },
  { type: "exact", arg: "value (empty: the item's expected)" },
  { type: "regex", arg: "pattern (empty: the item's expected)" },
  { type: "numeric", arg: "tolerance (compares with expected)" },
  { type: "json_schema", arg: "JSON Schema" },
  { type: "cost_under", arg: "cents" },
  { type: "latency_under", arg: "milliseconds" },
  { type: "tool_called", arg: "tool name (an agent called it at least once)" },
  { type: "trajectory", arg: "tool names in order, comma-separated (others may come between)" },
  { type: "llm_judge", arg: 'rubric, e.g. Answers the question and mentions "Paris"' },
] as const;

export type ScorerType = (typeof SCORER_TYPES)[number]["type"];

export interface ScorerRow {
  type: ScorerType;
  arg: string;
}

/** One row as a scorer, or the reason it cannot be one. */
export function scorerOf(row: ScorerRow): Record<string, unknown> | string {
  const arg = row.arg.trim();
  const num = Number(arg);
  switch (row.type) {
    case "contains":
    case "exact":
    case "regex":
      return { type: row.type, ...(arg ? { value: arg } : {}) };
    case "numeric":
      if (arg && !Number.isFinite(num)) return "numeric: the tolerance must be a number";
      return { type: "numeric", ...(arg ? { tolerance: num } : {}) };
    case "cost_under":
      return arg && Number.isFinite(num) ? { type: "cost_under", cents: num } : "cost_under: give a number of cents";
    case "latency_under":
      return arg && Number.isInteger(num)
        ? { type: "latency_under", ms: num }
        : "latency_under: give whole milliseconds";
    case "llm_judge":
      return arg ? { type: "llm_judge", rubric: arg } : "llm_judge: write a rubric";
    case "tool_called":
      return arg ? { type: "tool_called", tool: arg } : "tool_called: name the tool";
    case "trajectory": {
      const tools = arg
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      return tools.length
        ? { type: "trajectory", expected: tools.map((tool) => ({ tool })) }
        : "trajectory: list the tools";
    }
    case "json_schema":
      try {
        return { type: "json_schema", schema: JSON.parse(arg || "{}") };
      } catch (error) {
        return `json_schema: the schema is not JSON (${(error as Error).message})`;
      }
  }
}
