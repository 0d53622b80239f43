/**
 * The CLI's local mode: a private FlowTrace on a throwaway embedded database in a temporary
 * directory, in this process, listening on a free loopback port. `flowtrace run <file>` and
 * `flowtrace eval <file>` then talk to it exactly as they talk to a remote server (REST and SSE),
 * so local and remote runs take one code path. Whatever the environment says about databases,
 * Redis, tokens or the public URL, the private server uses none of it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../config/env.ts";
import { createLogger } from "../observability/logger.ts";
import { createStack, listen, stackHttpApp } from "../stack.ts";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface LocalServer {
  url: string;
  stop(): Promise<void>;
}

export async function startLocalServer(purpose: string): Promise<LocalServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `flowtrace-${purpose}-`));
  const yours = loadConfig();
  const config = loadConfig({
    FLOWTRACE_DATA_DIR: dir,
    // A port known before start: the engine lets the fetch tool reach its own server's documents.
    PORT: String(await freePort()),
    // What your configured server serves (demo documents, say) stays reachable from local runs.
    FLOWTRACE_FETCH_ALLOW: [...yours.fetchAllow, new URL(yours.publicUrl).host].join(","),
    HOST: "127.0.0.1",
    FLOWTRACE_SEED_DEMO: "0",
    LOG_LEVEL: "silent",
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    FLOWTRACE_PUBLIC_URL: undefined,
    FLOWTRACE_API_TOKEN: undefined,
    FLOWTRACE_METRICS_PORT: undefined,
  });
  const stack = await createStack(config, "local", createLogger({ level: "silent" })).catch(async (error) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const { server, url } = await listen(config, stackHttpApp(stack));
  return {
    url,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stack.close(5_000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
