/** CSV tool: parse CSV text → {columns, rows, rowCount, summary} with per-column statistics. */

import { BUILTIN_TOOL_SPECS, type csvArgsSchema } from "@flowtrace/contract/tools";
import { parse } from "csv-parse/sync";
import { type Tool, ToolError } from "./types.ts";

export interface ColumnSummary {
  type: "number" | "string" | "empty";
  count: number;
  missing: number;
  distinct: number;
  min?: number;
  max?: number;
  mean?: number;
  median?: number;
  sum?: number;
  top?: { value: string; count: number }[];
}

const NUMERIC = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function summarizeColumn(values: string[]): ColumnSummary {
  const present = values.filter((v) => v.trim() !== "");
  const missing = values.length - present.length;
  const distinct = new Set(present).size;
  if (present.length === 0) return { type: "empty", count: 0, missing, distinct: 0 };
  if (present.every((v) => NUMERIC.test(v.trim()))) {
    const nums = present.map((v) => Number(v.trim())).sort((a, b) => a - b);
    const sum = nums.reduce((a, b) => a + b, 0);
    const mid = nums.length >> 1;
    const median = nums.length % 2 ? (nums[mid] as number) : ((nums[mid - 1] as number) + (nums[mid] as number)) / 2;
    const round = (n: number) => Math.round(n * 1e6) / 1e6;
    return {
      type: "number",
      count: nums.length,
      missing,
      distinct,
      min: nums[0] as number,
      max: nums[nums.length - 1] as number,
      mean: round(sum / nums.length),
      median,
      sum: round(sum),
    };
  }
  const counts = new Map<string, number>();
  for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([value, count]) => ({ value, count }));
  return { type: "string", count: present.length, missing, distinct, top };
}

export const csvTool: Tool<typeof csvArgsSchema> = {
  ...BUILTIN_TOOL_SPECS.csv,
  async run(args) {
    let records: string[][];
    try {
      records = parse(args.text, {
        delimiter: args.delimiter,
        skip_empty_lines: true,
        relax_column_count: false,
        trim: false,
        to: args.maxRows + (args.header ? 1 : 0),
      }) as string[][];
    } catch (error) {
      throw new ToolError(`invalid CSV: ${(error as Error).message}`);
    }
    if (records.length === 0) return { columns: [], rows: [], rowCount: 0, summary: {} };
    const columns = args.header
      ? (records[0] as string[]).map((c, i) => c.trim() || `column${i + 1}`)
      : (records[0] as string[]).map((_, i) => `column${i + 1}`);
    if (new Set(columns).size !== columns.length)
      throw new ToolError("invalid CSV: duplicate column names in the header");
    const data = args.header ? records.slice(1) : records;
    const rows = data.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ""])));
    const summary = Object.fromEntries(columns.map((c, i) => [c, summarizeColumn(data.map((r) => r[i] ?? ""))]));
    return { columns, rows, rowCount: rows.length, summary };
  },
};
