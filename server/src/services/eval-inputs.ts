/**
 * What clients send to create and change datasets and start experiments, declared once: the REST
 * routes parse bodies with these schemas, and the GraphQL mutations parse their arguments with them
 * (through `parseInput`), so both refuse the same input with the same paths and sentences.
 */
import { z } from "zod";
import { datasetItemInput, MAX_DATASET_ITEMS } from "../domain/eval/dataset.ts";
import { scorersSchema } from "../domain/eval/scorers.ts";
import { formatPath } from "../domain/json-path.ts";
import { issueMessage } from "../domain/zod-issues.ts";
import { InvalidRequestError } from "./errors.ts";

export const MAX_EXPERIMENT_CONCURRENCY = 50;

const items = z.array(datasetItemInput).max(MAX_DATASET_ITEMS);
export const createBody = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(10_000).nullish(),
  items: items.default([]),
});
export const updateBody = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(10_000).nullish(),
    items: items.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "expected at least one of name, description, items" });
export const appendBody = z.strictObject({ items: items.min(1) });
export const fromRunBody = z.strictObject({
  run_id: z.string(),
  expected: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export const itemsPage = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const experimentBody = z.strictObject({
  dataset_id: z.string(),
  version: z.number().int().min(1).optional(),
  scorers: scorersSchema,
  concurrency: z.number().int().min(1).max(MAX_EXPERIMENT_CONCURRENCY).optional(),
  name: z.string().min(1).max(200).optional(),
});

/** `value` parsed by `schema`, or an InvalidRequestError naming each bad field's path. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) }));
  throw new InvalidRequestError(`invalid ${what}`, issues);
}
