/**
 * The `code` node kind in the document: JavaScript run in a sandbox (QuickJS compiled to
 * WebAssembly): no network, no file system, no `process`, no host objects. The source is a
 * function body that sees `input` (the run's inputs), `inputs` (the node's rendered inputs) and
 * `node.<id>.output` (the outputs of the upstream nodes it names), and returns a JSON value;
 * `console.log` lines become the step's `log` events. `Math.random` and `Date` are fixed per step,
 * so re-runs and replays compute the same thing.
 */
import { z } from "zod";
import { nodeSchemaOf } from "../node-base.ts";

export const codeConfigSchema = z.strictObject({
  language: z.literal("javascript", { message: 'expected "javascript"' }).default("javascript"),
  source: z
    .string({ message: "expected the code: a function body that returns a JSON value" })
    .min(1, { message: "expected the code: a function body that returns a JSON value" })
    .max(100_000, { message: "expected at most 100,000 characters" })
    .describe("A function body: `return input.rows.filter(r => r.amount > 100).length`."),
  timeoutMs: z.int().min(10).max(30_000).default(1_000).describe("The code is stopped after this long."),
  memoryMb: z.int().min(1).max(256).default(32).describe("The sandbox's memory limit."),
});

export const codeNodeSchema = nodeSchemaOf("code", codeConfigSchema);

export type CodeNode = z.infer<typeof codeNodeSchema>;
export type CodeConfig = z.infer<typeof codeConfigSchema>;

/** The upstream outputs a source reads: `node.<id>.output` or `node["<id>"].output`. */
export function codeNodeRefs(source: string): string[] {
  const ids = new Set<string>();
  for (const m of source.matchAll(/\bnode\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([A-Za-z0-9_-]+)["']\s*\])/g)) {
    ids.add(m[1] ?? m[2] ?? "");
  }
  ids.delete("");
  return [...ids];
}
