/**
 * A run's secrets, as its steps use them: `fill` puts the project's values into a text's
 * `{{secret.NAME}}` placeholders at call time (in the worker, never earlier), and remembers each
 * value filled; `scrub` replaces every remembered value — as is and URL-encoded — in any JSON value
 * or text with `[secret NAME]`. Whatever a call that used a secret returns or throws goes through
 * `scrub` before it reaches a trace event, a step row, an error message or a model; the run's trace
 * recorder scrubs every payload once more.
 */
import { MIN_SECRET_LENGTH, SECRET_PLACEHOLDER } from "@flowtrace/contract/secrets";
import type { SecretResolver } from "../services/secrets.ts";

export interface RunSecrets {
  /** The text with each `{{secret.NAME}}` replaced by its value (an unknown name is a MissingSecretError). */
  fill(text: string): Promise<string>;
  /** `value` with every value filled so far replaced by `[secret NAME]` (strings, deep in arrays and objects). */
  scrub<T>(value: T): T;
}

export class MissingSecretError extends Error {
  override readonly name = "MissingSecretError";
}

function scrubText(text: string, known: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [value, name] of known) {
    if (out.includes(value)) out = out.split(value).join(`[secret ${name}]`);
  }
  return out;
}

function scrubDeep(value: unknown, known: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return scrubText(value, known);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, known));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubText(k, known), scrubDeep(v, known)]));
  }
  if (value instanceof Error) {
    value.message = scrubText(value.message, known);
    return value;
  }
  return value;
}

export function createRunSecrets(resolver: SecretResolver | null): RunSecrets {
  // value (and its URL-encoded form) → the secret's name; longest first so a value containing another is cut whole.
  const known = new Map<string, string>();
  const remember = (value: string, name: string) => {
    for (const form of new Set([value, encodeURIComponent(value)])) {
      if (form.length >= MIN_SECRET_LENGTH) known.set(form, name);
    }
    const sorted = [...known].sort((a, b) => b[0].length - a[0].length);
    known.clear();
    for (const [v, n] of sorted) known.set(v, n);
  };
  return {
    async fill(text) {
      const names = [...text.matchAll(SECRET_PLACEHOLDER)].map((m) => m[1] ?? "");
      const values = new Map<string, string>();
      for (const name of new Set(names)) {
        const value = resolver ? await resolver.value(name) : null;
        if (value === null)
          throw new MissingSecretError(`secret ${name} is not set in this project (POST /api/secrets)`);
        remember(value, name);
        values.set(name, value);
      }
      return text.replace(SECRET_PLACEHOLDER, (_raw, name: string) => values.get(name) ?? "");
    },
    scrub: <T>(value: T) => (known.size === 0 ? value : (scrubDeep(value, known) as T)),
  };
}
