/** Reading a request at the edge: path ids parsed once, JSON bodies checked by one schema. */
import type { z } from "zod";
import { parseUuid, type Uuid } from "../domain/ids.ts";
import { describeStorageIssues, storageIssues } from "../domain/storable-json.ts";
import { issueMessage } from "../domain/zod-issues.ts";
import { NotFoundError } from "../services/runs.ts";

/** What `idParam` reads a path parameter from (a Hono context). */
export type ParamSource = { req: { param(name: string): string | undefined } };

/** A path parameter naming an object, parsed once: its id, or a 404 when the text is no UUID. */
export function idParam(c: ParamSource, name: string, what: string): Uuid {
  const text = c.req.param(name) ?? "";
  const id = parseUuid(text);
  if (!id) throw new NotFoundError(`${what} ${text} does not exist`);
  return id;
}

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

function refuse(where: "request body" | "query", error: z.ZodError): BadRequest {
  const issues = error.issues.map((i) => ({ path: i.path.join("."), message: issueMessage(i) }));
  return new BadRequest(
    `invalid ${where}: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
    issues,
  );
}

/** The URL's query parameters through `schema`; a 400 naming each bad parameter otherwise. */
export function query<T>(c: { req: { query(): Record<string, string> } }, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw refuse("query", parsed.error);
  return parsed.data;
}

export async function body<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await req.text();
  let json: unknown = {};
  if (text.trim() !== "") {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new BadRequest(`request body is not valid JSON: ${(error as Error).message}`);
    }
  }
  // Before the schema: a NUL, an unpaired surrogate or runaway nesting would fail in storage, not here.
  const unstorable = storageIssues(json, { path: [] });
  if (unstorable.length > 0) {
    throw new BadRequest(`invalid request body: ${describeStorageIssues(unstorable)}`, unstorable);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw refuse("request body", parsed.error);
  return parsed.data;
}
