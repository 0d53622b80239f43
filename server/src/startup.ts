/**
 * Start-up and shutdown shared by the entry points: expected failures (bad configuration, an
 * unreachable database, a failed migration, a port in use) end the process with exactly one clear
 * line on stderr and exit code 1; SIGTERM/SIGINT run the registered cleanups once, within a deadline.
 */
import { type Config, ConfigError, loadConfig } from "./config/env.ts";
import { DatabaseUnavailableError } from "./db/database.ts";
import { DataDirLockedError } from "./db/embedded.ts";
import { MigrationError } from "./db/migrate.ts";

export function fatalLine(error: unknown): string {
  if (error instanceof ConfigError) return `flowtrace: ${error.message}`;
  if (error instanceof MigrationError) {
    return error.code === "unreachable"
      ? `flowtrace: ${error.message}; start PostgreSQL (e.g. \`docker compose up -d postgres\`) or unset DATABASE_URL to use the embedded database`
      : `flowtrace: database migration error: ${error.message}`;
  }
  if (error instanceof DatabaseUnavailableError || error instanceof DataDirLockedError) {
    return `flowtrace: ${error.message}`;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") {
    return `flowtrace: the port is already in use (${(error as Error).message}); set PORT to a free port`;
  }
  if (code === "EACCES" || code === "EPERM") {
    return `flowtrace: permission denied: ${(error as Error).message}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `flowtrace: failed to start: ${message.split("\n")[0]}`;
}

export function exitWithError(error: unknown): never {
  process.stderr.write(`${fatalLine(error)}\n`);
  process.exit(1);
}

export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    return exitWithError(error);
  }
}

/** Run `cleanup` once on SIGTERM/SIGINT; exit 0 when it finishes, 1 if it overruns the deadline. */
export function onShutdown(
  cleanup: (signal: string) => Promise<void>,
  options: { timeoutMs: number; log: (msg: string) => void },
) {
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    options.log(`received ${signal}, shutting down`);
    const timer = setTimeout(() => {
      process.stderr.write(`flowtrace: shutdown took longer than ${options.timeoutMs} ms, exiting\n`);
      process.exit(1);
    }, options.timeoutMs);
    timer.unref();
    cleanup(signal).then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`flowtrace: error during shutdown: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
