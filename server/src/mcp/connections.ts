/**
 * Connections to MCP servers, through the official SDK's client: stdio servers are child processes
 * started on first use, shared by every run of this process, started again after they die, and
 * stopped when idle; http servers speak Streamable HTTP, or SSE where a server offers only that.
 * Every request has a timeout; a server that crashes, hangs or answers nonsense fails that call
 * with an error naming the server — never this process.
 */
import { createHash } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** A server as a call needs it: its `env` and `headers` with secrets already filled in. */
export interface McpTarget {
  id: string;
  name: string;
  transport: "stdio" | "http";
  command: string | null;
  args: string[];
  url: string | null;
  env: Record<string, string>;
  headers: Record<string, string>;
}

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface McpCallOptions {
  timeoutMs: number;
  /** listTools: ask the server again instead of using this connection's answer. */
  fresh?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: { progress: number; total?: number | undefined; message?: string | undefined }) => void;
}

export interface McpConnections {
  listTools(target: McpTarget, options: McpCallOptions): Promise<McpTool[]>;
  callTool(
    target: McpTarget,
    tool: string,
    args: Record<string, unknown>,
    options: McpCallOptions,
  ): Promise<CallToolResult>;
  close(): Promise<void>;
}

export class McpError extends Error {
  override readonly name = "McpError";
}

const CLIENT_INFO = { name: "flowtrace", version: "0.1.0" };

/** A connection is for one configuration: a changed server (or secret) gets a new one. */
const keyOf = (t: McpTarget) => createHash("sha256").update(JSON.stringify(t)).digest("hex");

function stdioTransport(t: McpTarget): Transport {
  const transport = new StdioClientTransport({
    command: t.command ?? "",
    args: t.args,
    env: { ...getDefaultEnvironment(), ...t.env },
    stderr: "pipe",
  });
  // Its stderr is read and dropped: it may echo its environment, secrets included.
  transport.stderr?.on("data", () => {});
  return transport;
}

async function connect(t: McpTarget, timeoutMs: number): Promise<Client> {
  const client = new Client(CLIENT_INFO);
  if (t.transport === "stdio") {
    await client.connect(stdioTransport(t), { timeout: timeoutMs });
    return client;
  }
  const url = new URL(t.url ?? "");
  try {
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: t.headers } }), {
      timeout: timeoutMs,
    });
    return client;
  } catch (streamable) {
    // A server that offers only the older HTTP+SSE transport refuses the POST: try that one.
    const fallback = new Client(CLIENT_INFO);
    try {
      const sse = new SSEClientTransport(url, { requestInit: { headers: t.headers } });
      await fallback.connect(sse, { timeout: timeoutMs });
      return fallback;
    } catch {
      throw streamable;
    }
  }
}

const described = (t: McpTarget, error: unknown) =>
  new McpError(`MCP server ${t.name}: ${error instanceof Error ? error.message : String(error)}`);

interface Entry {
  client: Promise<Client>;
  idle: NodeJS.Timeout | undefined;
  /** The server's tools, asked once per connection (a refresh asks again). */
  tools?: Promise<McpTool[]>;
}

async function allTools(c: Client, o: McpCallOptions): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.listTools(cursor ? { cursor } : undefined, { timeout: o.timeoutMs, signal: o.signal });
    for (const t of page.tools) {
      tools.push({ name: t.name, description: t.description ?? "", inputSchema: t.inputSchema });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** The process's connections, one per server configuration. */
class McpPool implements McpConnections {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly idleMs: number) {}

  private drop(key: string, entry: Entry) {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    clearTimeout(entry.idle);
    void entry.client.then((c) => c.close()).catch(() => {});
  }

  /** The live client for a target (connected on first use; after it closed or died, again). */
  private entryFor(target: McpTarget, timeoutMs: number): Entry {
    const key = keyOf(target);
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { client: connect(target, timeoutMs), idle: undefined };
      entry = created;
      this.entries.set(key, created);
      created.client.then(
        (c) => {
          c.onclose = () => this.drop(key, created);
          c.onerror = () => {};
        },
        () => this.drop(key, created),
      );
    }
    clearTimeout(entry.idle);
    const current = entry;
    current.idle = setTimeout(() => this.drop(key, current), this.idleMs);
    current.idle.unref();
    return current;
  }

  private async request<T>(target: McpTarget, o: McpCallOptions, send: (c: Client, e: Entry) => Promise<T>) {
    const entry = this.entryFor(target, o.timeoutMs);
    try {
      return await send(await entry.client, entry);
    } catch (error) {
      if (o.signal?.aborted) throw o.signal.reason ?? error;
      // A hung or broken server (a timeout, a closed connection, no JSON-RPC answer) gets a fresh
      // connection next time; a JSON-RPC error it answered with leaves the connection as it is.
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "number" || code === -32001 || code === -32000) this.drop(keyOf(target), entry);
      throw described(target, error);
    }
  }

  listTools(target: McpTarget, o: McpCallOptions): Promise<McpTool[]> {
    return this.request(target, o, (c, entry) => {
      if (o.fresh || !entry.tools) {
        const asked = allTools(c, o);
        entry.tools = asked;
        asked.catch(() => {
          if (entry.tools === asked) entry.tools = undefined;
        });
      }
      return entry.tools;
    });
  }

  callTool(target: McpTarget, tool: string, args: Record<string, unknown>, o: McpCallOptions) {
    return this.request(target, o, async (c) => {
      const result = await c.callTool({ name: tool, arguments: args }, undefined, {
        timeout: o.timeoutMs,
        signal: o.signal,
        ...(o.onProgress ? { onprogress: o.onProgress, resetTimeoutOnProgress: true } : {}),
      });
      return result as CallToolResult;
    });
  }

  async close() {
    for (const [key, entry] of [...this.entries]) this.drop(key, entry);
  }
}

export function createMcpConnections(options: { idleMs: number }): McpConnections {
  return new McpPool(options.idleMs);
}
