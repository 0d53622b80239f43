/**
 * The one place that reads `process.env`.
 *
 * Every setting FlowTrace understands is declared here once, with its default and a validator.
 * `loadConfig()` is called by the entry points (main.*, cli/*) and the resulting frozen object is
 * passed down; nothing else in the server touches the environment. A bad value stops start-up with
 * one line naming the variable and what was expected (secret values are never echoed).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";
import { parseAllowList } from "../tools/allow-list.ts";
import { AUTH_SECRET_VARIABLES, type AuthConfig, AuthConfigError, authConfigOf, authEnvShape } from "./auth-env.ts";
import {
  TOOLS_SECRET_VARIABLES,
  type ToolsConfig,
  ToolsConfigError,
  toolsConfigOf,
  toolsEnvShape,
} from "./tools-env.ts";

const TOKEN_PARAMS = ["auto", "max_tokens", "max_completion_tokens"] as const;
type TokenParam = (typeof TOKEN_PARAMS)[number];

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Variables whose values must never appear in a log line, an error or an API response. */
export const SECRET_VARIABLES = new Set([
  "FLOWTRACE_OPENAI_COMPATIBLE_KEYS",
  "OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "FLOWTRACE_API_TOKEN",
  "DATABASE_URL",
  "REDIS_URL",
  ...AUTH_SECRET_VARIABLES,
  ...TOOLS_SECRET_VARIABLES,
]);

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const postgresUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
      message: "expected a postgresql:// URL, e.g. postgresql://postgres@127.0.0.1:5432/flowtrace",
    })
    .optional(),
);

const redisUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((v) => /^rediss?:\/\/[^\s]*$/.test(v) && URL.canParse(v), {
      message: "expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0",
    })
    .optional(),
);

const commaList = (value: unknown) =>
  typeof value === "string"
    ? value
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

const originList = z.preprocess(
  commaList,
  z
    .array(
      z.string().refine((v) => URL.canParse(v) && new URL(v).origin === v.replace(/\/+$/, ""), {
        message: "expected origins such as https://app.example.com (scheme, host and port only)",
      }),
    )
    .default([])
    .transform((list) => list.map((v) => v.replace(/\/+$/, ""))),
);

const hostList = z.preprocess(
  commaList,
  z
    .array(z.string().regex(/^[A-Za-z0-9.-]+$/, { message: "expected host names such as flowtrace.internal" }))
    .default([])
    .transform((list) => list.map((v) => v.toLowerCase())),
);

const httpUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), {
      message: "expected an http:// or https:// URL",
    })
    .optional(),
);

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: `expected an integer between ${min} and ${max}` })
      .int({ message: `expected an integer between ${min} and ${max}` })
      .min(min, { message: `expected an integer between ${min} and ${max}` })
      .max(max, { message: `expected an integer between ${min} and ${max}` })
      .default(fallback),
  );

const flag = z.preprocess(
  emptyToUndefined,
  z
    .enum(["1", "0", "true", "false", "yes", "no", "on", "off"], {
      message: "expected 1/0, true/false, yes/no or on/off",
    })
    .optional()
    .transform((v) => v === "1" || v === "true" || v === "yes" || v === "on"),
);

/** A comma-separated allow list: `host`, `host:port` or CIDR (`10.0.0.0/8`, `::1/128`). */
const fetchAllow = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      for (const problem of parseAllowList(entries).problems) ctx.addIssue({ code: "custom", message: problem });
    }),
);

/** `name=value,name=value` pairs (names: letters, digits, _ or -). */
const namedList = (what: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        const out: Record<string, string> = {};
        for (const part of (v ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)) {
          const m = /^([A-Za-z][A-Za-z0-9_-]{0,31})=(\S+)$/.exec(part);
          if (!m) {
            ctx.addIssue({ code: "custom", message: `expected name=${what} pairs separated by commas` });
            return z.NEVER;
          }
          out[m[1] as string] = m[2] as string;
        }
        return out;
      }),
  );

export const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(["development", "production", "test"]).default("development")),
  PORT: integer(0, 65535, 3000),
  HOST: z.preprocess(emptyToUndefined, z.string().min(1).default("127.0.0.1")),
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: httpUrl,
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: httpUrl,
  FLOWTRACE_OPENAI_COMPATIBLE: namedList("url").refine(
    (m) =>
      Object.entries(m).every(
        ([name, url]) => name !== "openai" && name !== "anthropic" && /^https?:\/\//.test(url) && URL.canParse(url),
      ),
    { message: "expected name=http(s)://base-url pairs; the names openai and anthropic are taken" },
  ),
  FLOWTRACE_OPENAI_COMPATIBLE_KEYS: namedList("key"),
  /** Which field caps an answer, per provider name (openai or a compatible one): see providers/openai.ts. */
  FLOWTRACE_OPENAI_TOKEN_PARAM: namedList("auto|max_tokens|max_completion_tokens").refine(
    (m) => Object.values(m).every((v) => TOKEN_PARAMS.includes(v as TokenParam)),
    { message: "expected name=auto, name=max_tokens or name=max_completion_tokens pairs" },
  ),
  FLOWTRACE_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./.flowtrace")),
  FLOWTRACE_API_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().min(16, { message: "expected at least 16 characters" }).optional(),
  ),
  FLOWTRACE_FETCH_ALLOW: fetchAllow,
  FLOWTRACE_PRICING_FILE: optionalString,
  FLOWTRACE_INLINE_WORKER: flag,
  FLOWTRACE_WORKER_CONCURRENCY: integer(1, 256, 4),
  FLOWTRACE_EMBEDDED_DB_PORT: integer(0, 65535, 0),
  FLOWTRACE_SHUTDOWN_TIMEOUT_MS: integer(100, 600_000, 10_000),
  FLOWTRACE_JOB_LOCK_MS: integer(1_000, 600_000, 10_000),
  FLOWTRACE_SHUTDOWN_DRAIN_MS: integer(0, 600_000, -1),
  FLOWTRACE_QUEUE_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: "expected letters, digits, _ or - (at most 64)" })
      .default("flowtrace"),
  ),
  FLOWTRACE_SIMULATOR_LATENCY_MS: integer(0, 60_000, 40),
  /** Delete the trace events of runs that ended more than this many days ago (0: keep forever). */
  FLOWTRACE_TRACE_RETENTION_DAYS: integer(0, 36_500, 0),
  /** With retention on: write each run's events to <dir>/<yyyy-mm-dd>/<runId>.jsonl before deleting them. */
  FLOWTRACE_TRACE_ARCHIVE_DIR: optionalString,
  FLOWTRACE_PUBLIC_URL: httpUrl,
  /** The CLI's project (an id or a name) on a server; `default` when unset. */
  FLOWTRACE_PROJECT: optionalString,
  /** Web origins allowed to call the API from a browser (CORS); none by default. */
  FLOWTRACE_CORS_ORIGINS: originList,
  /** Host names the API answers besides loopback and FLOWTRACE_PUBLIC_URL's, when requests are not authenticated. */
  FLOWTRACE_ALLOWED_HOSTS: hostList,
  ...authEnvShape,
  ...toolsEnvShape,
  FLOWTRACE_SEED_DEMO: z.preprocess(
    emptyToUndefined,
    z
      .enum(["1", "0", "true", "false", "yes", "no", "on", "off"], {
        message: "expected 1/0, true/false, yes/no or on/off",
      })
      .default("1"),
  ),
  /** OpenTelemetry, by the standard variables (https://opentelemetry.io/docs/specs/otel/protocol/exporter/). */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(
    emptyToUndefined,
    z.enum(["http/protobuf", "http/json"], { message: "expected http/protobuf or http/json" }).default("http/protobuf"),
  ),
  OTEL_EXPORTER_OTLP_HEADERS: optionalString,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: optionalString,
  OTEL_SERVICE_NAME: optionalString,
  OTEL_RESOURCE_ATTRIBUTES: optionalString,
  OTEL_TRACES_SAMPLER: z.preprocess(
    emptyToUndefined,
    z
      .enum(
        [
          "always_on",
          "always_off",
          "traceidratio",
          "parentbased_always_on",
          "parentbased_always_off",
          "parentbased_traceidratio",
        ],
        { message: "expected always_on, always_off, traceidratio or their parentbased_ forms" },
      )
      .default("parentbased_always_on"),
  ),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(1).default(1)),
  OTEL_BSP_MAX_QUEUE_SIZE: integer(1, 1_000_000, 2048),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: integer(1, 1_000_000, 512),
  OTEL_BSP_SCHEDULE_DELAY: integer(0, 600_000, 5_000),
  OTEL_BSP_EXPORT_TIMEOUT: integer(1, 600_000, 30_000),
  /** Prompts and completions on spans (gen_ai.input.messages / output.messages), scrubbed of secrets. */
  FLOWTRACE_OTEL_CAPTURE_CONTENT: flag,
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  FLOWTRACE_METRICS_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().min(16, { message: "expected at least 16 characters" }).optional(),
  ),
  /** A worker process serves its own /metrics on this port (0: none). */
  FLOWTRACE_METRICS_PORT: integer(0, 65535, 0),
  /** https://no-color.org: any value turns ANSI colours off. */
  NO_COLOR: optionalString,
  LOG_FORMAT: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z.enum(["auto", "pretty", "json"], { message: "expected auto, pretty or json" }).default("auto"),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z.enum(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  ),
});

export type Env = z.infer<typeof envSchema>;

export type Mode = "embedded" | "server";

export interface Config {
  readonly env: Env;
  readonly nodeEnv: Env["NODE_ENV"];
  readonly port: number;
  readonly host: string;
  /** Absolute path of FLOWTRACE_DATA_DIR. */
  readonly dataDir: string;
  /** Postgres URL, or null to run on the embedded database under dataDir. */
  readonly databaseUrl: string | null;
  /** Redis URL, or null to run the queue and pub/sub in-process. */
  readonly redisUrl: string | null;
  /** `server` when both DATABASE_URL and REDIS_URL are set, otherwise `embedded`. */
  readonly mode: Mode;
  /** Whether this API process also executes runs (always when the queue is in-process). */
  readonly inlineWorker: boolean;
  readonly workerConcurrency: number;
  readonly embeddedDbPort: number;
  readonly shutdownTimeoutMs: number;
  /** Redis key prefix of the queue and pub/sub (several deployments can share one Redis). */
  readonly queuePrefix: string;
  /** How long a worker's lock on a run lasts without renewal: a killed worker's run moves on within ~this. */
  readonly jobLockMs: number;
  /**
   * On SIGTERM the API first drains: /health answers 503 "draining" (so a load balancer moves traffic
   * away) while requests are still served, then it stops listening. Default 2 s in server mode, 0 embedded.
   */
  readonly shutdownDrainMs: number;
  /** Latency of the built-in provider simulator (embedded demo). */
  readonly simulatorLatencyMs: number;
  /** FLOWTRACE_TRACE_RETENTION_DAYS (0: keep forever) and FLOWTRACE_TRACE_ARCHIVE_DIR (absolute). */
  readonly traceRetention: { readonly days: number; readonly archiveDir: string | null };
  /** Where this server is reachable (demo documents, links); defaults to http://HOST:PORT. */
  readonly publicUrl: string;
  /** Create the demo workflows on the first start (empty database). */
  readonly seedDemo: boolean;
  /** NO_COLOR is set: never print ANSI colours. */
  readonly noColor: boolean;
  readonly apiToken: string | null;
  /** Sign-in, single sign-on, invitation mail and sessions (config/auth-env.ts). */
  readonly auth: AuthConfig;
  /** Secrets' key, MCP servers, workflows as MCP tools, sub-workflows (config/tools-env.ts). */
  readonly tools: ToolsConfig;
  /** Which browsers may call the API, and which Host names it answers (see http/request-guards.ts). */
  readonly web: { readonly corsOrigins: readonly string[]; readonly allowedHosts: readonly string[] };
  readonly fetchAllow: readonly string[];
  readonly pricingFile: string | null;
  readonly logLevel: Env["LOG_LEVEL"];
  /** auto: readable lines on a terminal, JSON otherwise. */
  readonly logFormat: Env["LOG_FORMAT"];
  /** Traces go to an OTLP endpoint only when one is configured. */
  readonly otel: {
    readonly tracesUrl: string | null;
    readonly protocol: Env["OTEL_EXPORTER_OTLP_PROTOCOL"];
    readonly headers: Readonly<Record<string, string>>;
    readonly serviceName: string;
    readonly resourceAttributes: Readonly<Record<string, string>>;
    readonly sampler: Env["OTEL_TRACES_SAMPLER"];
    readonly samplerRatio: number;
    readonly batch: {
      maxQueueSize: number;
      maxExportBatchSize: number;
      scheduledDelayMillis: number;
      exportTimeoutMillis: number;
    };
    readonly captureContent: boolean;
  };
  readonly metrics: { readonly token: string | null; readonly port: number };
  readonly providers: {
    readonly openai: {
      readonly apiKey: string | null;
      readonly baseUrl: string | null;
      readonly tokenParam: TokenParam;
    };
    readonly anthropic: { readonly apiKey: string | null; readonly baseUrl: string | null };
    /** Named OpenAI-compatible endpoints (vLLM, Ollama, proxies). */
    readonly compatible: readonly {
      readonly name: string;
      readonly baseUrl: string;
      readonly apiKey: string | null;
      readonly tokenParam: TokenParam;
    }[];
  };
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * An API bound beyond loopback with no way to authenticate would hand every workflow, run and
 * provider key's spend to anyone who reaches it: the server refuses to start (the error says what to set).
 */
export function checkExposure(config: Pick<Config, "host" | "apiToken" | "auth">): void {
  if (LOOPBACK_HOSTS.has(config.host) || config.apiToken || config.auth.oidc) return;
  throw new ConfigError(
    "HOST",
    `is ${config.host} (not loopback) and no way to authenticate is configured: set FLOWTRACE_API_TOKEN (at least 16 characters) or single sign-on (FLOWTRACE_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET), or bind HOST to 127.0.0.1`,
  );
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

function describeIssue(issue: z.core.$ZodIssue, source: Record<string, string | undefined>) {
  const variable = String(issue.path[0] ?? "environment");
  const raw = source[variable];
  const shown =
    raw === undefined || SECRET_VARIABLES.has(variable)
      ? ""
      : ` (got ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw)})`;
  return new ConfigError(variable, `is invalid: ${issue.message}${shown}`);
}

function tokenParamOf(env: Env, name: string): TokenParam {
  return (env.FLOWTRACE_OPENAI_TOKEN_PARAM[name] as TokenParam | undefined) ?? "auto";
}

/**
 * Parse and validate an environment. Pure: pass any record (tests do); the entry points pass
 * `process.env` through {@link loadConfig}.
 */
/** `k1=v1,k2=v2` (values percent-decoded), as OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES are written. */
function keyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? "").split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const value = pair.slice(eq + 1).trim();
    out[pair.slice(0, eq).trim()] = /%[0-9a-f]{2}/i.test(value) ? decodeURIComponent(value) : value;
  }
  return out;
}

function otelConfig(env: Env): Config["otel"] {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, "");
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : null);
  const resourceAttributes = keyValues(env.OTEL_RESOURCE_ATTRIBUTES);
  return {
    tracesUrl,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
    headers: { ...keyValues(env.OTEL_EXPORTER_OTLP_HEADERS), ...keyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) },
    serviceName: env.OTEL_SERVICE_NAME ?? resourceAttributes["service.name"] ?? "flowtrace",
    resourceAttributes,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerRatio: env.OTEL_TRACES_SAMPLER_ARG,
    batch: {
      maxQueueSize: env.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: Math.min(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, env.OTEL_BSP_MAX_QUEUE_SIZE),
      scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY,
      exportTimeoutMillis: env.OTEL_BSP_EXPORT_TIMEOUT,
    },
    captureContent: env.FLOWTRACE_OTEL_CAPTURE_CONTENT,
  };
}

function toolsConfigOrThrow(env: Env, mode: Mode): ToolsConfig {
  try {
    return toolsConfigOf(env, mode);
  } catch (error) {
    if (error instanceof ToolsConfigError) throw new ConfigError(error.variable, error.reason);
    throw error;
  }
}

function authConfigOrThrow(env: Env): AuthConfig {
  try {
    return authConfigOf(env, env.FLOWTRACE_API_TOKEN ?? null);
  } catch (error) {
    if (error instanceof AuthConfigError) throw new ConfigError(error.variable, error.reason);
    throw error;
  }
}

/** Where clients reach this server: FLOWTRACE_PUBLIC_URL, or the address it listens on. */
function publicUrlOf(env: Env): string {
  const host =
    env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
  return (env.FLOWTRACE_PUBLIC_URL ?? `http://${host}:${env.PORT}`).replace(/\/+$/, "");
}

export function parseConfig(source: Record<string, string | undefined>, cwd: string = process.cwd()): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw first ? describeIssue(first, source) : new ConfigError("environment", "is invalid");
  }
  const env = parsed.data;
  const databaseUrl = env.DATABASE_URL ?? null;
  const redisUrl = env.REDIS_URL ?? null;
  const mode: Mode = databaseUrl && redisUrl ? "server" : "embedded";
  return Object.freeze({
    env,
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDir: path.resolve(cwd, env.FLOWTRACE_DATA_DIR),
    databaseUrl,
    redisUrl,
    mode,
    inlineWorker: redisUrl === null || env.FLOWTRACE_INLINE_WORKER,
    workerConcurrency: env.FLOWTRACE_WORKER_CONCURRENCY,
    embeddedDbPort: env.FLOWTRACE_EMBEDDED_DB_PORT,
    shutdownTimeoutMs: env.FLOWTRACE_SHUTDOWN_TIMEOUT_MS,
    queuePrefix: env.FLOWTRACE_QUEUE_PREFIX,
    jobLockMs: env.FLOWTRACE_JOB_LOCK_MS,
    shutdownDrainMs:
      env.FLOWTRACE_SHUTDOWN_DRAIN_MS >= 0 ? env.FLOWTRACE_SHUTDOWN_DRAIN_MS : mode === "server" ? 2_000 : 0,
    simulatorLatencyMs: env.FLOWTRACE_SIMULATOR_LATENCY_MS,
    traceRetention: Object.freeze({
      days: env.FLOWTRACE_TRACE_RETENTION_DAYS,
      archiveDir: env.FLOWTRACE_TRACE_ARCHIVE_DIR ? path.resolve(cwd, env.FLOWTRACE_TRACE_ARCHIVE_DIR) : null,
    }),
    noColor: env.NO_COLOR !== undefined,
    seedDemo: ["1", "true", "yes", "on"].includes(env.FLOWTRACE_SEED_DEMO),
    publicUrl: publicUrlOf(env),
    apiToken: env.FLOWTRACE_API_TOKEN ?? null,
    auth: authConfigOrThrow(env),
    tools: toolsConfigOrThrow(env, mode),
    web: Object.freeze({
      corsOrigins: Object.freeze([...env.FLOWTRACE_CORS_ORIGINS]),
      allowedHosts: Object.freeze([...env.FLOWTRACE_ALLOWED_HOSTS]),
    }),
    fetchAllow: Object.freeze([...env.FLOWTRACE_FETCH_ALLOW]),
    pricingFile: env.FLOWTRACE_PRICING_FILE ? path.resolve(cwd, env.FLOWTRACE_PRICING_FILE) : null,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    otel: Object.freeze(otelConfig(env)),
    metrics: Object.freeze({ token: env.FLOWTRACE_METRICS_TOKEN ?? null, port: env.FLOWTRACE_METRICS_PORT }),
    providers: providersConfig(env),
  });
}

function providersConfig(env: Env) {
  return Object.freeze({
    openai: Object.freeze({
      apiKey: env.OPENAI_API_KEY ?? null,
      baseUrl: env.OPENAI_BASE_URL ?? null,
      tokenParam: tokenParamOf(env, "openai"),
    }),
    anthropic: Object.freeze({
      apiKey: env.ANTHROPIC_API_KEY ?? null,
      baseUrl: env.ANTHROPIC_BASE_URL ?? null,
    }),
    compatible: Object.freeze(
      Object.entries(env.FLOWTRACE_OPENAI_COMPATIBLE).map(([name, baseUrl]) =>
        Object.freeze({
          name,
          baseUrl,
          apiKey: env.FLOWTRACE_OPENAI_COMPATIBLE_KEYS[name] ?? null,
          tokenParam: tokenParamOf(env, name),
        }),
      ),
    ),
  });
}

/**
 * Read the process environment once. Only entry points call this. A `.env` file in the working
 * directory is read too; variables already set in the environment win over it.
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
  const file = path.resolve(".env");
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
  // biome-ignore lint/style/noProcessEnv: this module is the single reader of the environment
  return parseConfig({ ...fromFile, ...process.env, ...overrides });
}

/**
 * Settings for the test suite's own infrastructure (which PostgreSQL and Redis the integration
 * tests use). Kept here so that this file stays the only reader of `process.env`.
 */
export function loadTestInfraConfig() {
  // biome-ignore lint/style/noProcessEnv: this module is the single reader of the environment
  const source = process.env;
  const schema = z.object({
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z.string().default("postgresql://postgres@127.0.0.1:5432/flowtrace_test"),
    ),
    REDIS_URL: z.preprocess(emptyToUndefined, z.string().default("redis://127.0.0.1:6379/15")),
  });
  const parsed = schema.parse({
    DATABASE_URL: source.DATABASE_URL,
    REDIS_URL: source.REDIS_URL,
  });
  return { databaseUrl: parsed.DATABASE_URL, redisUrl: parsed.REDIS_URL };
}

/** Remove credentials from a connection URL before it is logged or shown. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparseable url>";
  }
}

/**
 * The environment for a FlowTrace process this one starts (the CLI's private embedded server): this
 * process's environment without `remove`, with `set` over it. Kept here, the one reader of `process.env`.
 */
export function childEnvironment(set: Record<string, string>, remove: readonly string[] = []): NodeJS.ProcessEnv {
  // biome-ignore lint/style/noProcessEnv: this module is the single reader of the environment
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of remove) delete env[key];
  return { ...env, ...set };
}
