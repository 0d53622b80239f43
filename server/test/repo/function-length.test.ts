/**
 * Small, named parts: no function in server/src or client/src longer than MAX_LINES, outside tests
 * and generated code. A function over the limit is several functions; split it, do not raise the limit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;
const MAX_LINES = 60;
const SKIP = [/\.test\.tsx?$/, /[/\\]generated[/\\]/, /[/\\]node_modules[/\\]/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !SKIP.some((re) => re.test(path)) ? [path] : [];
  });
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return "(anonymous)";
}

export function longFunctions(file: string, maxLines = MAX_LINES): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > maxLines) found.push(`${relative(ROOT, file)}:${start + 1} ${functionName(node)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("function length", () => {
  it(`no function in server/src or client/src is longer than ${MAX_LINES} lines`, () => {
    const files = [...sourceFiles(join(ROOT, "server/src")), ...sourceFiles(join(ROOT, "client/src"))];
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => longFunctions(f))).toEqual([]);
  });
});
