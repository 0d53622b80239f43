/**
 * Tools from anywhere, measured against same-run baselines: a code step's sandbox (QuickJS in
 * WebAssembly on a worker thread, JSON in and out) against the same function in `node:vm` (no
 * isolation worth the name: the floor); and an MCP call through FlowTrace's connection pool against
 * the official SDK client calling the same reference server directly.
 */
import { createRequire } from "node:module";
import vm from "node:vm";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createMcpConnections } from "../server/src/mcp/connections.ts";
import { createSandbox } from "../server/src/sandbox/sandbox.ts";
import { compare, type Measurement } from "./lib.ts";

const EVERYTHING = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/dist/index.js");
const SOURCE = "return input.rows.filter((r) => r.amount > 100).length";
const rows = Array.from({ length: 1_000 }, (_, i) => ({ amount: i % 250 }));

async function benchCode(samples: number): Promise<Measurement> {
  const sandbox = createSandbox();
  const job = {
    source: SOURCE,
    input: { rows },
    inputs: {},
    node: {},
    seed: 1,
    clock: 0,
    timeoutMs: 1_000,
    memoryMb: 32,
  };
  try {
    return await compare({
      name: "code step (1,000 rows filtered)",
      baselineName: "node:vm, same function",
      subject: () => sandbox.run(job),
      baseline: () =>
        vm.runInNewContext(`(function (input) { ${SOURCE} })(JSON.parse(data))`, { data: JSON.stringify({ rows }) }),
      samples,
    });
  } finally {
    await sandbox.close();
  }
}

async function benchMcp(samples: number): Promise<Measurement> {
  const pool = createMcpConnections({ idleMs: 60_000 });
  const target = {
    id: "b",
    name: "ev",
    transport: "stdio" as const,
    command: process.execPath,
    args: [EVERYTHING, "stdio"],
    url: null,
    env: {},
    headers: {},
  };
  const bare = new Client({ name: "bench", version: "1" });
  await bare.connect(
    new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, "stdio"], stderr: "ignore" }),
  );
  try {
    return await compare({
      name: "MCP tool call (echo, stdio)",
      baselineName: "official SDK client, direct",
      subject: () => pool.callTool(target, "echo", { message: "hi" }, { timeoutMs: 10_000 }),
      baseline: () => bare.callTool({ name: "echo", arguments: { message: "hi" } }),
      samples,
    });
  } finally {
    await bare.close();
    await pool.close();
  }
}

export async function benchTools(samples: number): Promise<Measurement[]> {
  return [await benchCode(samples), await benchMcp(samples)];
}
