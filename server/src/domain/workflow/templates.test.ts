import { describe, expect, it } from "vitest";
import { renderString, renderValue, scanTemplate, TemplateError } from "./templates.ts";

const ctx = {
  nodeOutputs: new Map<string, unknown>([
    ["ingest", { content: "hello", status: 200, rows: [{ name: "x" }] }],
    ["summarize", "short summary"],
  ]),
  input: { topic: "cats", n: 3 },
};

describe("templates", () => {
  it("renders node outputs, deep paths and run inputs", () => {
    expect(renderString("{{node.summarize.output}}", ctx)).toBe("short summary");
    expect(renderString("Text: {{ node.ingest.output.content }}!", ctx)).toBe("Text: hello!");
    expect(renderString("{{node.ingest.output.rows[0].name}}", ctx)).toBe("x");
    expect(renderString("About {{input.topic}} ×{{input.n}}", ctx)).toBe("About cats ×3");
  });

  it("renders non-string values inside text as JSON", () => {
    expect(renderString("rows={{node.ingest.output.rows}}", ctx)).toBe('rows=[{"name":"x"}]');
  });

  it("keeps the bound value's type when a value is exactly one placeholder", () => {
    expect(renderValue({ data: "{{node.ingest.output.rows}}", n: "{{input.n}}", s: "n={{input.n}}" }, ctx)).toEqual({
      data: [{ name: "x" }],
      n: 3,
      s: "n=3",
    });
  });

  it("fails clearly on a binding that does not resolve, never rendering 'undefined'", () => {
    expect(() => renderString("{{node.ingest.output.missing}}", ctx)).toThrow(TemplateError);
    expect(() => renderString("{{node.ingest.output.missing}}", ctx)).toThrow(
      "{{node.ingest.output.missing}}: node.ingest.output is an object with no 'missing'",
    );
    expect(() => renderString("{{node.summarize.output.content}}", ctx)).toThrow(
      "node.summarize.output is a string with no 'content'",
    );
    expect(() => renderString("{{node.deep.output}}", ctx)).toThrow("node deep has no output (it did not run)");
    expect(() => renderString("{{input.lang}}", ctx)).toThrow("run input 'lang' was not provided");
    expect(() => renderString("{{node.ingest.output.rows[5]}}", ctx)).toThrow("an array of 1 with no '5'");
  });

  it("refuses prototype walks", () => {
    expect(scanTemplate("{{node.a.output.__proto__}}").problems).toHaveLength(1);
    expect(scanTemplate("{{input.constructor}}").problems).toHaveLength(1);
  });

  it("finds every reference and flags malformed ones", () => {
    const { refs, problems } = scanTemplate("{{node.a.output}} and {{input.x}} and {{oops}} and {{ unterminated");
    expect(refs.map((r) => r.raw)).toEqual(["{{node.a.output}}", "{{input.x}}"]);
    expect(problems.map((p) => p.raw)).toEqual(["{{oops}}", "{{"]);
  });
});
