/** A dataset item as clients send it, and the rows of JSON Lines and CSV imports. Pure. */
import { z } from "zod";
import { formatPath } from "../json-path.ts";
import { issueMessage } from "../zod-issues.ts";

export const MAX_DATASET_ITEMS = 10_000;

export const datasetItemInput = z.strictObject({
  input_vars: z.record(z.string(), z.unknown()),
  expected: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type DatasetItemInput = z.infer<typeof datasetItemInput>;

export interface RowIssue {
  /** `rows[3].input_vars` (JSON), `line 4` (JSON Lines), `row 3, column tone` (CSV). */
  path: string;
  message: string;
}

/**
 * One JSON Lines object: `{input_vars, expected?, metadata?}`, or a flat object whose keys other
 * than `expected` and `metadata` are the input variables (`{"topic": "tides", "expected": "moon"}`).
 */
export function itemFromJsonLine(value: unknown): z.ZodSafeParseResult<DatasetItemInput> {
  if (value && typeof value === "object" && !Array.isArray(value) && !("input_vars" in value)) {
    const { expected, metadata, ...inputVars } = value as Record<string, unknown>;
    const flat = {
      input_vars: inputVars,
      ...(expected !== undefined ? { expected } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    };
    return datasetItemInput.safeParse(flat);
  }
  return datasetItemInput.safeParse(value);
}

/** JSON Lines text → items, or every problem with its line number (blank lines are skipped). */
export function parseJsonLines(text: string): { items: DatasetItemInput[]; issues: RowIssue[] } {
  const items: DatasetItemInput[] = [];
  const issues: RowIssue[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      issues.push({ path: where, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = itemFromJsonLine(value);
    if (parsed.success) items.push(parsed.data);
    else
      for (const i of parsed.error.issues)
        issues.push({ path: `${where}${i.path.length ? `: ${formatPath(i.path)}` : ""}`, message: issueMessage(i) });
  });
  return { items, issues };
}

/**
 * CSV rows (header first, already split into cells) → items: every column is an input variable but
 * `expected` (the expected value, text) and `metadata` (a JSON object).
 */
export function itemsFromCsvRows(rows: string[][]): { items: DatasetItemInput[]; issues: RowIssue[] } {
  const [header, ...data] = rows;
  if (!header || header.length === 0)
    return { items: [], issues: [{ path: "row 1", message: "expected a header row naming the columns" }] };
  const headerIssues = csvHeaderIssues(header);
  if (headerIssues.length) return { items: [], issues: headerIssues };
  const items: DatasetItemInput[] = [];
  const issues: RowIssue[] = [];
  data.forEach((cells, index) => {
    const row = index + 2; // the header is row 1
    if (cells.length === 1 && cells[0] === "") return;
    if (cells.length !== header.length) {
      issues.push({
        path: `row ${row}`,
        message: `expected ${header.length} columns (${header.join(", ")}), got ${cells.length}`,
      });
      return;
    }
    const item = csvItem(header, cells, row, issues);
    if (item) items.push(item);
  });
  return { items, issues };
}

function csvHeaderIssues(header: string[]): RowIssue[] {
  const issues: RowIssue[] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name.trim() === "") issues.push({ path: `row 1, column ${i + 1}`, message: "expected a column name" });
    else if (seen.has(name)) issues.push({ path: `row 1, column ${name}`, message: "the column name appears twice" });
    seen.add(name);
  });
  if (header.every((h) => h === "expected" || h === "metadata")) {
    issues.push({ path: "row 1", message: "expected at least one input column besides expected and metadata" });
  }
  return issues;
}

function csvItem(header: string[], cells: string[], row: number, issues: RowIssue[]): DatasetItemInput | null {
  const item: DatasetItemInput = { input_vars: {} };
  for (const [i, name] of header.entries()) {
    const cell = cells[i] ?? "";
    if (name === "expected") item.expected = cell;
    else if (name === "metadata") {
      if (cell.trim() === "") continue;
      const meta = parseMetadata(cell);
      if (typeof meta === "string") {
        issues.push({ path: `row ${row}, column metadata`, message: meta });
        return null;
      }
      item.metadata = meta;
    } else item.input_vars[name] = cell;
  }
  return item;
}

function parseMetadata(cell: string): Record<string, unknown> | string {
  try {
    const value = JSON.parse(cell);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    return "expected a JSON object";
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
}
