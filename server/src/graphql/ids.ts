/**
 * Id arguments are parsed once, here, by argument validators: resolvers receive a `Uuid` (or null
 * for a lookup), never text PostgreSQL would refuse as a uuid.
 */
import { z } from "zod";
import { parseUuid } from "../domain/ids.ts";
import { NotFoundError } from "../services/runs.ts";

/** For a lookup (`run(id:)`): the UUID, or null — no object has an id that is not one. */
export const lookupId = z.coerce.string().transform(parseUuid);

/** For a mutation or subscription: the UUID, or the field's NotFoundError result naming `what`. */
export function existingId(what: string) {
  return z.coerce.string().transform((text) => {
    const id = parseUuid(text);
    if (!id) throw new NotFoundError(`${what} ${text} does not exist`);
    return id;
  });
}

/** For an optional filter (`runs(workflowId:)`): absent is undefined, no UUID is null (matches nothing). */
export const filterId = z
  .string()
  .nullish()
  .transform((text) => (text == null ? undefined : parseUuid(text)));
