/**
 * The tools side of the configuration: the key project secrets are encrypted under, MCP servers
 * (whether stdio servers may run on this host, call and idle timeouts), workflows exposed as MCP
 * tools, and sub-workflow depth. Read by config/env.ts (the one reader of the environment), which
 * merges these variables into its schema.
 */
import { z } from "zod";

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** 32 bytes, as base64 (44 characters) or hex (64): `openssl rand -base64 32`. */
export function decodeSecretKey(raw: string): Buffer | null {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  return key.length === 32 && (/^[0-9a-fA-F]{64}$/.test(text) || key.toString("base64") === text) ? key : null;
}

const KEY_MESSAGE = "expected 32 random bytes as base64 or hex (openssl rand -base64 32)";
const secretKey = z.string().refine((v) => decodeSecretKey(v) !== null, { message: KEY_MESSAGE });
const ms = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

export const toolsEnvShape = {
  FLOWTRACE_SECRET_KEY: z.preprocess(emptyToUndefined, secretKey.optional()),
  /** Earlier keys (comma-separated), still read while values are re-encrypted under the current one. */
  FLOWTRACE_SECRET_KEY_PREVIOUS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.split(",").map((s) => s.trim()) : []),
    z.array(secretKey),
  ),
  /** `off`: MCP servers over stdio (commands run on the worker host) cannot be registered or started. */
  FLOWTRACE_MCP_STDIO: z.preprocess(
    emptyToUndefined,
    z.enum(["on", "off"], { message: "expected on or off" }).default("on"),
  ),
  FLOWTRACE_MCP_CALL_TIMEOUT_MS: ms(100, 600_000, 60_000),
  /** A stdio server unused this long is stopped (it starts again on the next call). */
  FLOWTRACE_MCP_IDLE_MS: ms(1_000, 86_400_000, 300_000),
  /** How long `POST /mcp` waits for a workflow run before answering with its id and URL. */
  FLOWTRACE_MCP_TOOL_WAIT_MS: ms(100, 3_600_000, 60_000),
  FLOWTRACE_SUBWORKFLOW_MAX_DEPTH: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(20).default(5)),
};

export const TOOLS_SECRET_VARIABLES = ["FLOWTRACE_SECRET_KEY", "FLOWTRACE_SECRET_KEY_PREVIOUS"] as const;

type ToolsEnv = z.output<z.ZodObject<typeof toolsEnvShape>>;

export interface ToolsConfig {
  /** The key secrets are written with; null only in embedded mode (a key file in the data directory). */
  readonly secretKey: Buffer | null;
  readonly previousSecretKeys: readonly Buffer[];
  readonly mcpStdio: boolean;
  readonly mcpCallTimeoutMs: number;
  readonly mcpIdleMs: number;
  readonly mcpToolWaitMs: number;
  readonly subworkflowMaxDepth: number;
}

export class ToolsConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable} ${reason}`);
  }
}

export function toolsConfigOf(env: ToolsEnv, mode: "embedded" | "server"): ToolsConfig {
  const secretKey = env.FLOWTRACE_SECRET_KEY ? decodeSecretKey(env.FLOWTRACE_SECRET_KEY) : null;
  if (!secretKey && mode === "server") {
    throw new ToolsConfigError(
      "FLOWTRACE_SECRET_KEY",
      "is required when DATABASE_URL and REDIS_URL are set (project secrets are encrypted under it): set it to 32 random bytes, e.g. `openssl rand -base64 32`",
    );
  }
  return Object.freeze({
    secretKey,
    previousSecretKeys: Object.freeze(env.FLOWTRACE_SECRET_KEY_PREVIOUS.map((k) => decodeSecretKey(k) as Buffer)),
    mcpStdio: env.FLOWTRACE_MCP_STDIO === "on",
    mcpCallTimeoutMs: env.FLOWTRACE_MCP_CALL_TIMEOUT_MS,
    mcpIdleMs: env.FLOWTRACE_MCP_IDLE_MS,
    mcpToolWaitMs: env.FLOWTRACE_MCP_TOOL_WAIT_MS,
    subworkflowMaxDepth: env.FLOWTRACE_SUBWORKFLOW_MAX_DEPTH,
  });
}
