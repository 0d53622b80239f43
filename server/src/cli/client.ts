/** Talking to a FlowTrace server from the CLI: its errors, the request headers, JSON calls, documents. */
import { readFile } from "node:fs/promises";
import { loadConfig } from "../config/env.ts";

/** Wrong use of the command (exit code 2). */
export class UsageError extends Error {}
/** The server cannot be reached (exit code 3). */
export class ServerError extends Error {}

export async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function headers(): Record<string, string> {
  const config = loadConfig();
  const token = config.apiToken;
  const project = config.env.FLOWTRACE_PROJECT;
  return {
    "content-type": "application/json",
    // Decisions made from the CLI are recorded as made by it.
    "x-flowtrace-actor": "cli",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(project ? { "x-flowtrace-project": project } : {}),
  };
}

/** A request body sent as it is (a CSV or JSON Lines upload), with its content type. */
export class RawBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

function requestInit(method: string, body: unknown): RequestInit {
  if (body instanceof RawBody) {
    return { method, headers: { ...headers(), "content-type": body.contentType }, body: body.text };
  }
  return { method, headers: headers(), ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
}

export async function api<T>(server: string, method: string, route: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${server}${route}`, requestInit(method, body));
  } catch (error) {
    const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    throw new ServerError(
      `cannot reach FlowTrace at ${server} (${cause?.code ?? cause?.errors?.[0]?.code ?? (error as Error).message})`,
    );
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = json?.error;
    const issues = e?.issues
      ? `\n${e.issues.map((i: { path: string; message: string }) => `  ${i.path || "(root)"}: ${i.message}`).join("\n")}`
      : "";
    const err = new Error(`${res.status} ${e?.message ?? res.statusText}${issues}`);
    (err as Error & { status: number }).status = res.status;
    throw err;
  }
  return json as T;
}
