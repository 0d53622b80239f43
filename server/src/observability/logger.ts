/**
 * Structured JSON logs (pino). Secrets are redacted by key wherever they appear in a logged object,
 * and connection URLs are logged through `redactUrl` by their callers.
 */
import { type Logger, pino } from "pino";

export type { Logger };

export const REDACTED_KEYS = [
  "apiKey",
  "api_key",
  "authorization",
  "Authorization",
  "x-api-key",
  "password",
  "token",
  "OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "FLOWTRACE_API_TOKEN",
] as const;

export function createLogger(options: { level: string; name?: string; destination?: pino.DestinationStream }): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers["${k}"]`]);
  return pino(
    {
      level: options.level,
      name: options.name ?? "flowtrace",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
