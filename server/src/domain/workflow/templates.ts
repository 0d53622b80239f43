/**
 * Template bindings: `{{node.<id>.output}}`, deep paths `{{node.<id>.output.content}}` or
 * `{{node.<id>.output.rows[0].name}}`, and run inputs `{{input.<name>}}`.
 *
 * A value that is exactly one placeholder keeps the bound value's type (an object stays an object);
 * placeholders inside longer text render non-string values as JSON. A binding that does not resolve
 * at run time is an error naming the reference, never the text "undefined".
 *
 * `{{secret.NAME}}` is not rendered here: it stays as written for the worker to fill at call time,
 * and only where validation allows it (http.fetch headers); a bound value that carries such a
 * placeholder is refused, so text from a model or a run input can never ask for a secret.
 */
import { SECRET_PLACEHOLDER } from "@flowtrace/contract/secrets";

export type TemplateRef =
  | { kind: "node"; nodeId: string; path: (string | number)[]; raw: string }
  | { kind: "input"; name: string; path: (string | number)[]; raw: string };

export interface TemplateProblem {
  raw: string;
  message: string;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

function parsePath(expr: string): (string | number)[] | null {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let consumed = 0;
  for (let m = re.exec(expr); m; m = re.exec(expr)) {
    const sep = expr.slice(consumed, m.index);
    if (consumed > 0 && m[1] !== undefined && sep !== ".") return null;
    if (consumed === 0 && sep !== "") return null;
    if (m[2] !== undefined && sep !== "") return null;
    if (m[1] !== undefined) {
      if (!SEGMENT.test(m[1]) || FORBIDDEN.has(m[1])) return null;
      out.push(m[1]);
    } else out.push(Number(m[2]));
    consumed = m.index + m[0].length;
  }
  return consumed === expr.length && out.length > 0 ? out : null;
}

export function parseReference(inner: string, raw: string): TemplateRef | TemplateProblem {
  const path = parsePath(inner);
  if (!path) return { raw, message: `${raw} is not a valid reference; use {{node.<id>.output}} or {{input.<name>}}` };
  const [head, second, third, ...rest] = path;
  if (head === "node") {
    if (typeof second !== "string" || third !== "output") {
      return { raw, message: `${raw} must have the form {{node.<id>.output}} (optionally followed by a path)` };
    }
    return { kind: "node", nodeId: second, path: rest, raw };
  }
  if (head === "input") {
    if (typeof second !== "string") return { raw, message: `${raw} must name an input: {{input.<name>}}` };
    return { kind: "input", name: second, path: third === undefined ? [] : [third, ...rest], raw };
  }
  if (head === "secret") {
    return { raw, message: `${raw}: secrets can be used only in http.fetch headers and MCP server env and headers` };
  }
  return {
    raw,
    message: `${raw} refers to '${String(head)}'; only node.<id>.output and input.<name> can be referenced`,
  };
}

/** Every reference in a string, plus malformed placeholders. */
export function scanTemplate(text: string): { refs: TemplateRef[]; problems: TemplateProblem[] } {
  const refs: TemplateRef[] = [];
  const problems: TemplateProblem[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const r = parseReference(m[1] ?? "", m[0]);
    if ("kind" in r) refs.push(r);
    else problems.push(r);
  }
  const stripped = text.replace(PLACEHOLDER, "");
  if (stripped.includes("{{")) problems.push({ raw: "{{", message: "unterminated '{{' placeholder" });
  return { refs, problems };
}

/** Walk any JSON value and collect the references in every string, with their JSON path suffix. */
export function scanValue(
  value: unknown,
  visit: (text: string, path: (string | number)[]) => void,
  path: (string | number)[] = [],
): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) scanValue(v, visit, [...path, i]);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) scanValue(v, visit, [...path, k]);
  }
}

export const hasTemplate = (text: string) => /\{\{[\s\S]*?\}\}/.test(text);

export class TemplateError extends Error {
  override readonly name = "TemplateError";
}

export interface TemplateContext {
  /** Outputs of finished nodes, by node id. A node that has not produced output is absent. */
  nodeOutputs: ReadonlyMap<string, unknown>;
  input: Readonly<Record<string, unknown>>;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "string") return "a string";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

export function resolveReference(ref: TemplateRef, ctx: TemplateContext): unknown {
  let value: unknown;
  let where: string;
  if (ref.kind === "node") {
    if (!ctx.nodeOutputs.has(ref.nodeId))
      throw new TemplateError(`${ref.raw}: node ${ref.nodeId} has no output (it did not run)`);
    value = ctx.nodeOutputs.get(ref.nodeId);
    where = `node.${ref.nodeId}.output`;
  } else {
    if (!Object.hasOwn(ctx.input, ref.name)) {
      throw new TemplateError(`${ref.raw}: run input '${ref.name}' was not provided`);
    }
    value = ctx.input[ref.name];
    where = `input.${ref.name}`;
  }
  for (const seg of ref.path) {
    const ok =
      (typeof seg === "number" && Array.isArray(value) && seg < value.length) ||
      (typeof seg === "string" &&
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.hasOwn(value, seg));
    if (!ok) throw new TemplateError(`${ref.raw}: ${where} is ${describe(value)} with no '${seg}'`);
    value = (value as Record<string | number, unknown>)[seg];
    where += typeof seg === "number" ? `[${seg}]` : `.${seg}`;
  }
  if (value === undefined) throw new TemplateError(`${ref.raw}: ${where} is undefined`);
  return value;
}

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

const isSecretPlaceholder = (inner: string) => /^secret\.[A-Za-z_][A-Za-z0-9_]*$/.test(inner.trim());

/** A bound value, refused when it carries a `{{secret.…}}` placeholder (only the workflow's own text may name one). */
function bound(ref: TemplateRef, ctx: TemplateContext): unknown {
  const value = resolveReference(ref, ctx);
  let carries = false;
  scanValue(value, (text) => {
    carries ||= new RegExp(SECRET_PLACEHOLDER.source).test(text);
  });
  if (carries) {
    throw new TemplateError(
      `${ref.raw}: the value holds a {{secret.…}} placeholder, which is only filled where the workflow itself names it`,
    );
  }
  return value;
}

/** Render a string template to a string (secret placeholders stay as written). */
export function renderString(template: string, ctx: TemplateContext): string {
  return template.replace(PLACEHOLDER, (raw, inner: string) => {
    if (isSecretPlaceholder(inner)) return raw;
    const ref = parseReference(inner, raw);
    if (!("kind" in ref)) throw new TemplateError(ref.message);
    return asText(bound(ref, ctx));
  });
}

/** Render any JSON value: strings are rendered; a string that is one placeholder keeps the bound type. */
export function renderValue(value: unknown, ctx: TemplateContext): unknown {
  if (typeof value === "string") {
    const whole = value.match(/^\{\{\s*([^{}]*?)\s*\}\}$/);
    if (whole && !isSecretPlaceholder(whole[1] ?? "")) {
      const ref = parseReference(whole[1] ?? "", value);
      if (!("kind" in ref)) throw new TemplateError(ref.message);
      return bound(ref, ctx);
    }
    return renderString(value, ctx);
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, ctx));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, ctx)]));
  }
  return value;
}
