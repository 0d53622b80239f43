/**
 * What every node of the workflow document shares: ids, names, inputs, the editor's position, and the
 * pieces several kinds' configs use (provider references, retry, cache). Each kind's own config lives
 * in kinds/<kind>.ts.
 */
import { z } from "zod";

export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Names the router/edge expression scope reserves; inputs cannot use them. */
export const RESERVED_SCOPE_NAMES = new Set(["inputs", "input", "output", "branch", "true", "false", "null"]);

export const nodeId = z
  .string({ message: "expected a string id" })
  .regex(ID_PATTERN, { message: "expected an id: a letter or _, then letters, digits, _ or - (at most 64)" });

export const inputName = z
  .string()
  .regex(INPUT_NAME_PATTERN, { message: "expected an input name: a letter or _, then letters, digits or _" })
  .refine((k) => !RESERVED_SCOPE_NAMES.has(k), { message: "this input name is reserved" });

export const providerName = z
  .string({ message: "expected a provider name" })
  .min(1, { message: "expected a provider name" });
export const modelName = z.string({ message: "expected a model name" }).min(1, { message: "expected a model name" });

export const providerRefSchema = z.strictObject({ provider: providerName, model: modelName });

export const retrySchema = z.strictObject({
  attempts: z.int().min(0).max(10).describe("Retries after the first attempt for transient errors."),
  backoffBaseMs: z.int().min(0).max(60_000).optional(),
  backoffMaxMs: z.int().min(0).max(600_000).optional(),
});

export const cacheSchema = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z.boolean().optional(),
    ttlSeconds: z
      .int()
      .min(1)
      .max(365 * 24 * 3600)
      .optional(),
  }),
]);

export const position = z.strictObject({ x: z.number(), y: z.number() }).optional().describe("Editor layout only.");
export const inputs = z.record(inputName, z.json()).optional();
export const name = z.string({ message: "expected a name" }).min(1, { message: "expected a name" }).max(200);

/** A kind's node schema: the fields every node has, its `type` literal and its own `config` (in this key order). */
export function nodeSchemaOf<T extends string, C extends z.ZodType>(type: T, config: C) {
  return z.strictObject({ id: nodeId, type: z.literal(type), name, config, inputs, position });
}
