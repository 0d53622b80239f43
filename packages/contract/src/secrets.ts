/**
 * A project's secrets over REST: `POST /api/secrets {name, value}`, `PUT /api/secrets/:name {value}`.
 * A value is write-only: no answer, trace, log or error ever carries it. Workflows reference one as
 * `{{secret.NAME}}` — in http.fetch headers and MCP server env/headers only — and the worker puts
 * the value in at call time.
 */
import { z } from "zod";

export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const secretName = z.string().regex(SECRET_NAME_PATTERN, {
  message: "expected a name of letters, digits and _ (not starting with a digit, at most 64)",
});

/** Shorter values could not be told apart from ordinary text when they are scrubbed from what a call returns. */
export const MIN_SECRET_LENGTH = 4;

export const secretValue = z
  .string()
  .min(MIN_SECRET_LENGTH, {
    message: `expected at least ${MIN_SECRET_LENGTH} characters (shorter values cannot be reliably kept out of traces)`,
  })
  .max(16_384, { message: "expected at most 16,384 characters" });

export const secretBody = z.strictObject({ name: secretName, value: secretValue });
export const secretUpdateBody = z.strictObject({ value: secretValue });

/** `{{secret.NAME}}` anywhere in a string (global: use with matchAll / replace). */
export const SECRET_PLACEHOLDER = /\{\{\s*secret\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The secret names a string references, in order of first use. */
export function secretRefs(text: string): string[] {
  return [...new Set([...text.matchAll(SECRET_PLACEHOLDER)].map((m) => m[1] ?? ""))];
}

/** A listed secret: its name and who set it, never its value. */
export interface SecretListing {
  name: string;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
}
