/**
 * How the simulated model uses tools, deterministically, so demos and tests exercise real tool
 * calling through the vendors' SDKs:
 *
 * - The task (the first user message) is read as rounds separated by "then": in round N the model
 *   calls every offered tool whose name the round's text mentions (`http_fetch`, or `http.fetch`),
 *   in parallel unless parallel calls are off (then the first only). `required` with no tool
 *   mentioned calls the first tool.
 * - Arguments are made from each tool's JSON Schema: a URL-like string property gets the first
 *   URL in the round's text, an enum the value the text mentions (or the first), another string
 *   the first "quoted" text (or the round's text), numbers the first number, booleans true.
 * - When the rounds are done (or the last turn brought tool results and no round is left), the
 *   model answers: with the tool results' gist, or, asked for a structured answer, with an object
 *   made from the schema. `[sim:invalid-json-once]` in the task makes the first structured answer
 *   break the schema (a repair request then gets a valid one).
 */
import { createHash } from "node:crypto";
import { resultsOf, roundsOf, type SimConversation, type SimTool, type SimToolCall, taskOf } from "./conversation.ts";

export type Decision = { kind: "calls"; calls: SimToolCall[] } | { kind: "answer"; text: string };

const variants = (name: string) => [name, name.replace(/_/g, "."), name.replace(/_/g, " ")];

function mentioned(text: string, tool: SimTool): boolean {
  const lower = text.toLowerCase();
  return variants(tool.name.toLowerCase()).some((v) =>
    new RegExp(`(^|[^a-z0-9_.])${escapeRegex(v)}($|[^a-z0-9_])`).test(lower),
  );
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function stringFor(key: string, prop: Record<string, unknown>, text: string): string {
  const options = Array.isArray(prop.enum) ? (prop.enum as unknown[]).map(String) : null;
  if (options)
    return options.find((o) => new RegExp(`\\b${escapeRegex(o)}\\b`, "i").test(text)) ?? (options[0] as string);
  if (/url|uri|href|link/i.test(key)) {
    // A URL ends before trailing punctuation of the sentence around it.
    return /https?:\/\/[^\s"'<>)]+/.exec(text)?.[0].replace(/[.,;:!?]+$/, "") ?? "https://example.com/";
  }
  return /"([^"]*)"/.exec(text)?.[1] ?? text.trim().slice(0, 200);
}

function valueFor(key: string, prop: Record<string, unknown>, text: string): unknown {
  const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
  if (type === "number" || type === "integer") return Number(/-?\d+(\.\d+)?/.exec(text)?.[0] ?? 1);
  if (type === "boolean") return true;
  if (type === "array") return [];
  if (type === "object") return {};
  return stringFor(key, prop, text);
}

/** Arguments for a tool: its required properties, and the optional ones the text gives a value for. */
export function argsFor(tool: SimTool, text: string): Record<string, unknown> {
  const props = (tool.schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(Array.isArray(tool.schema.required) ? (tool.schema.required as string[]) : []);
  const args: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(props)) {
    const hasQuoted = /"[^"]*"/.test(text) && prop.type === undefined;
    if (required.has(key) || hasQuoted) args[key] = valueFor(key, prop, text);
  }
  return args;
}

const callId = (seed: string, i: number) =>
  `call_${createHash("sha256").update(`${seed}:${i}`).digest("hex").slice(0, 20)}`;

function toolRound(c: SimConversation): SimToolCall[] {
  if (c.tools.length === 0 || c.toolChoice === "none") return [];
  const rounds = taskOf(c).split(/\bthen\b/i);
  const round = roundsOf(c);
  if (round >= rounds.length && c.toolChoice !== "required") return [];
  const text = rounds[round] ?? "";
  let picked = c.tools.filter((t) => mentioned(text, t) && t.name !== c.answerSchema?.name);
  if (picked.length === 0 && c.toolChoice === "required" && round === 0) picked = c.tools.slice(0, 1);
  if (!c.parallel) picked = picked.slice(0, 1);
  const seed = `${taskOf(c)}:${round}`;
  return picked.map((tool, i) => ({ id: callId(seed, i), name: tool.name, args: argsFor(tool, text) }));
}

/** The gist of the tool results the model was given, for its answer. */
export function resultsGist(c: SimConversation): string {
  const results = resultsOf(c);
  if (results.length === 0) return "";
  const gist = results.map((r) => `${r.isError ? "error: " : ""}${r.text.replace(/\s+/g, " ").slice(0, 80)}`);
  return `from ${results.length} tool result${results.length === 1 ? "" : "s"}: ${gist.join(" | ")}`;
}

function objectFor(schema: Record<string, unknown>, text: string): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(props)) {
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
    if (type === "object") out[key] = objectFor(prop, text);
    else if (type === "array") out[key] = [];
    else out[key] = type === "string" || type === undefined ? text : valueFor(key, prop, text);
  }
  return out;
}

const repairAsked = (c: SimConversation) =>
  c.turns.some((t) => t.role === "user" && /did not match the schema/i.test(t.text));

function structuredAnswer(c: SimConversation, text: string): string {
  const schema = c.answerSchema?.schema ?? {};
  if (/\[sim:invalid-json-once\]/.test(taskOf(c)) && !repairAsked(c)) return JSON.stringify({ unexpected: text });
  return JSON.stringify(objectFor(schema, text));
}

/** What the simulated model does next: call tools, or answer (`plain` is its answer without tools). */
export function decide(c: SimConversation, plain: () => string): Decision {
  const calls = toolRound(c);
  if (calls.length > 0) return { kind: "calls", calls };
  const gist = resultsGist(c);
  const text = gist ? `Simulated answer ${gist}` : plain();
  return { kind: "answer", text: c.answerSchema ? structuredAnswer(c, text) : text };
}
