/** Small helpers the schema files share for arguments and lookups. */
import { NotFoundError } from "../services/errors.ts";

/** For a lookup field: a missing object is `null`, any other error stays an error. */
export const nullWhenMissing = (error: unknown) => {
  if (error instanceof NotFoundError) return null;
  throw error;
};

/** GraphQL's absent and null arguments as the REST body would omit them (`keep` stay null: "clear it"). */
export function withoutNulls(args: Record<string, unknown>, keep: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).filter(([k, v]) => v !== undefined && (v !== null || keep.includes(k))),
  );
}
