/**
 * Logs (pino): JSON lines by default, readable lines on a terminal (pino-pretty). Secrets are
 * redacted by key wherever they appear in a logged object, in either format, and connection URLs
 * are logged through `redactUrl` by their callers.
 */
import { type Logger, pino } from "pino";
import pretty from "pino-pretty";

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

/** `auto`: readable on a terminal, JSON otherwise (pipes, files, log collectors). */
export type LogFormat = "auto" | "pretty" | "json";

/** Whether lines should be readable rather than JSON. */
export function wantsPretty(format: LogFormat, isTTY: boolean): boolean {
  return format === "pretty" || (format === "auto" && isTTY);
}

export function createLogger(options: {
  level: string;
  name?: string;
  destination?: pino.DestinationStream;
  /** Readable lines instead of JSON (written to `destination`, else stdout). */
  pretty?: { colorize: boolean };
}): Logger {
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
    options.pretty ? prettyStream(options.pretty.colorize, options.destination) : options.destination,
  );
}

/** The entry points' choice of format: readable on a terminal (coloured unless NO_COLOR), else JSON. */
export function loggerFormat(config: { logFormat: LogFormat; noColor: boolean }): { pretty?: { colorize: boolean } } {
  return wantsPretty(config.logFormat, Boolean(process.stdout.isTTY)) ? { pretty: { colorize: !config.noColor } } : {};
}

function prettyStream(colorize: boolean, destination?: pino.DestinationStream) {
  return pretty({
    colorize,
    sync: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname",
    ...(destination ? { destination: destination as NodeJS.WritableStream } : {}),
  });
}
