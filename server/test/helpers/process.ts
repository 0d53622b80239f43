/** Spawn FlowTrace entry points as real processes, and a TCP proxy to make services "go away". */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The key test processes encrypt project secrets under (server mode requires one). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString("base64");

/** The test runner's environment without any FlowTrace settings, plus `env`. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(DATABASE_URL|REDIS_URL|PORT|HOST|FLOWTRACE_|OPENAI_|ANTHROPIC_|LOG_LEVEL|VITEST|NODE_ENV)/.test(k),
    ),
  );
  return { ...base, LOG_LEVEL: "info", FLOWTRACE_SECRET_KEY: TEST_SECRET_KEY, ...env };
}

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startProcess(entry: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const proc: Proc = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, ms = 45_000) {
      const end = Date.now() + ms;
      while (!pattern.test(out)) {
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}): ${err || out.slice(-2000)}`);
        if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}: ${out.slice(-2000)} ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return proc;
}

/** Run a node script to completion with a clean environment; collect its output. */
export function runNode(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env ?? {}) });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

export function startApi(env: Record<string, string>) {
  return startProcess("server/src/main.api.ts", env);
}

/** A TCP proxy we can cut and restore, to simulate PostgreSQL or Redis going away. */
export class TcpProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      // A connection accepted just as cut() ran (its callback queued behind it) is cut too: left
      // open, it would keep server.close() in cut() waiting forever (a browser holds its stream).
      if (this.server !== server) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.targetPort, this.targetHost);
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Refuse new connections and cut the existing ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

export async function until<T>(fn: () => Promise<T>, check: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (check(last)) return last;
    } catch {
      // keep polling
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`condition not met in ${ms} ms; last value: ${JSON.stringify(last)}`);
}
