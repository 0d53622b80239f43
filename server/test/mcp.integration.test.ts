/**
 * MCP servers as tools, against servers nobody here wrote: the reference filesystem server and the
 * "everything" server over stdio, and the everything server over Streamable HTTP. Registered over
 * REST (env and headers never answered back), tools discovered live, called from tool nodes
 * (arguments checked against the announced schema first) and from an agent (one tool, and all of a
 * server's tools) on both vendors' wire formats; a server that dies or hangs fails the call naming
 * it, and the worker goes on; a secret in a server's env is scrubbed from what its tools return.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RefusedError } from "../src/services/errors.ts";
import { createMcpServer } from "../src/services/mcp-servers.ts";
import { freePort } from "./helpers/process.ts";
import { finishedRun, restClient } from "./helpers/rest.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

const require = createRequire(import.meta.url);
const EVERYTHING = require.resolve("@modelcontextprotocol/server-everything/dist/index.js");
const FILESYSTEM = require.resolve("@modelcontextprotocol/server-filesystem/dist/index.js");
const TOKEN = "m".repeat(32);

let stack: Stack;
let dir = "";
let httpServer: ChildProcess;
let httpUrl = "";
const auth = { authorization: `Bearer ${TOKEN}` };
const call = (method: string, p: string, body?: unknown, headers: Record<string, string> = auth) =>
  restClient(() => stack.url)(method, p, body, headers);

const stdio = (name: string, args: string[], env?: Record<string, string>) => ({
  name,
  transport: "stdio",
  command: process.execPath,
  args,
  ...(env ? { env } : {}),
});

async function register(body: object) {
  const r = await call("POST", "/api/mcp-servers", body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function runNodes(nodes: object[], input: Record<string, unknown> = {}) {
  const graph = { version: "1", entry: (nodes[0] as { id: string }).id, nodes, edges: [] };
  const wf = await call("POST", "/api/workflows", { name: `mcp ${Math.random()}`, graph_json: graph });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, { input_vars: input });
  return finishedRun(call, started.body.runId);
}

const mcpNode = (mcp: string, tool: string, args: object) => ({
  id: "t",
  type: "tool",
  name: "T",
  config: { mcp, tool, args },
});
const outputOf = async (runId: string, nodeId = "t") =>
  (await stack.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId } })).output;
const eventsOf = async (runId: string) =>
  (await stack.prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } })).map((e) => ({
    kind: e.kind,
    payload: e.payload as Record<string, unknown>,
  }));

async function startHttpEverything(): Promise<void> {
  const port = await freePort();
  httpServer = spawn(process.execPath, [EVERYTHING, "streamableHttp"], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the everything server did not start")), 20_000);
    httpServer.stderr?.on("data", (d: Buffer) => {
      if (d.toString().includes("listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  httpUrl = `http://127.0.0.1:${port}/mcp`;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ft-mcp-"));
  await writeFile(path.join(dir, "notes.txt"), "line one\nline two\n");
  stack = await startStack({ apiToken: TOKEN, mcpCallTimeoutMs: 1_500 });
  await startHttpEverything();
}, 60_000);
afterAll(async () => {
  await stack?.close();
  httpServer?.kill();
});

describe("MCP servers over REST", () => {
  it("registers servers, never answering env or header values, and discovers their tools live", async () => {
    const fs = await register(stdio("fs", [FILESYSTEM, dir]));
    await register(stdio("ev", [EVERYTHING, "stdio"], { EXTRA: "not-shown-123" }));
    const web = await register({ name: "web", transport: "http", url: httpUrl, headers: { "x-team": "hidden-456" } });
    expect(web).toMatchObject({ transport: "http", header_keys: ["x-team"], tools_discovered_at: null });
    const listed = await call("GET", "/api/mcp-servers");
    expect(listed.body.items.map((s: { name: string }) => s.name)).toEqual(["ev", "fs", "web"]);
    expect(JSON.stringify(listed.body)).not.toMatch(/not-shown-123|hidden-456/);
    const tools = await call("GET", `/api/mcp-servers/${fs.id}/tools`);
    expect(tools.status, JSON.stringify(tools.body)).toBe(200);
    const read = tools.body.items.find((t: { name: string }) => t.name === "read_text_file");
    expect(read.input_schema.required).toEqual(["path"]);
    const webTools = await call("GET", `/api/mcp-servers/${web.id}/tools?refresh=1`);
    expect(webTools.body.items.map((t: { name: string }) => t.name)).toContain("echo");
    expect((await call("GET", `/api/mcp-servers/${fs.id}`)).body.tools_discovered_at).not.toBeNull();
    expect((await call("POST", "/api/mcp-servers", stdio("fs", [FILESYSTEM, dir]))).status).toBe(409);
  });

  it("refuses bad bodies naming the field, stdio for non-admins, and stdio when FLOWTRACE_MCP_STDIO=off", async () => {
    const noCommand = await call("POST", "/api/mcp-servers", { name: "x", transport: "stdio" });
    expect(noCommand.status).toBe(400);
    expect(noCommand.body.error.issues[0].path).toBe("command");
    const badName = await call("POST", "/api/mcp-servers", { name: "Bad Name", transport: "http", url: httpUrl });
    expect(badName.body.error.issues[0].path).toBe("name");
    const projects = await call("GET", "/api/projects");
    const project = projects.body.items.find((p: { name: string }) => p.name === "default");
    const key = await call("POST", `/api/projects/${project.id}/api-keys`, {
      name: "builder",
      scopes: ["workflows:read", "workflows:write"],
    });
    const asBuilder = { authorization: `Bearer ${key.body.key}` };
    const refused = await call("POST", "/api/mcp-servers", stdio("sh", ["-e", "1"]), asBuilder);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("only project admins may register stdio MCP servers");
    const httpOk = await call("POST", "/api/mcp-servers", { name: "web2", transport: "http", url: httpUrl }, asBuilder);
    expect(httpOk.status).toBe(201);
    const off = {
      keyring: stack.engine.mcp?.keyring,
      mcp: stack.engine.mcp?.connections,
      mcpSettings: { stdio: false, callTimeoutMs: 1000 },
    };
    await expect(createMcpServer(stack.prisma, off as never, project.id, stdio("z", []) as never)).rejects.toThrow(
      RefusedError,
    );
  });
});

describe("MCP tools in runs", () => {
  it("refuses to save a workflow naming an MCP server the project has not registered", async () => {
    const graph = { version: "1", entry: "t", nodes: [mcpNode("nowhere", "x", {})], edges: [] };
    const r = await call("POST", "/api/workflows", { name: "unknown server", graph_json: graph });
    expect(r.status).toBe(422);
    expect(r.body.error.issues[0]).toMatchObject({ path: "nodes[0].config.mcp" });
    expect(r.body.error.issues[0].message).toContain("unknown MCP server 'nowhere'");
  });

  it("a tool node calls the filesystem server; the trace names the server and tool", async () => {
    const done = await runNodes([mcpNode("fs", "read_text_file", { path: path.join(dir, "notes.txt") })]);
    expect(done.status, done.error_summary).toBe("succeeded");
    // The filesystem server answers with structured content: that is the output.
    expect(await outputOf(done.id)).toEqual({ content: "line one\nline two\n" });
    const request = (await eventsOf(done.id)).find((e) => e.kind === "tool.request");
    expect(request?.payload).toMatchObject({
      tool: "mcp:fs/read_text_file",
      mcp: { server: "fs", tool: "read_text_file" },
    });
  });

  it("checks arguments against the announced schema before calling; a tool's error result fails the step with its text", async () => {
    const missing = await runNodes([mcpNode("fs", "read_text_file", { head: 2 })]);
    expect(missing.status).toBe("failed");
    expect(missing.error_summary).toMatch(/mcp:fs\/read_text_file: invalid arguments: .*path/);
    expect((await eventsOf(missing.id)).some((e) => e.kind === "tool.request")).toBe(false);
    const outside = await runNodes([mcpNode("fs", "read_text_file", { path: "/etc/hostname" })]);
    expect(outside.status).toBe("failed");
    expect(outside.error_summary).toMatch(/mcp:fs\/read_text_file: .*(denied|outside|not allowed)/i);
  });

  it("calls the everything server over Streamable HTTP, with structured content as the output", async () => {
    const echo = await runNodes([mcpNode("web", "echo", { message: "{{input.say}}" })], { say: "over http" });
    expect(echo.status, echo.error_summary).toBe("succeeded");
    expect(await outputOf(echo.id)).toBe("Echo: over http");
    const structured = await runNodes([mcpNode("ev", "get-structured-content", { location: "New York" })]);
    expect(structured.status, structured.error_summary).toBe("succeeded");
    expect(typeof (await outputOf(structured.id))).toBe("object");
  });

  for (const provider of ["openai", "anthropic"]) {
    it(`an agent (${provider}) calls one MCP tool and all of another server's tools`, async () => {
      const agent = {
        id: "agent",
        type: "agent",
        name: "Agent",
        config: {
          provider,
          model: provider === "openai" ? "gpt-4o-mini" : "claude-3-5-haiku-latest",
          prompt: `use ev_get-sum with 21 then use fs_read_text_file on "${path.join(dir, "notes.txt")}"`,
          tools: [
            { mcp: "ev", tool: "get-sum" },
            { mcp: "fs", tools: "*" },
          ],
          cache: false,
        },
      };
      const done = await runNodes([agent]);
      expect(done.status, done.error_summary).toBe("succeeded");
      const responses = (await eventsOf(done.id)).filter((e) => e.kind === "tool.response").map((e) => e.payload);
      expect(responses).toHaveLength(2);
      expect(responses[0]).toMatchObject({ tool: "mcp:ev/get-sum", mcp: { server: "ev", tool: "get-sum" } });
      expect(JSON.stringify(responses[0])).toContain("42");
      expect(responses[1]).toMatchObject({
        tool: "mcp:fs/read_text_file",
        output: { content: "line one\nline two\n" },
      });
      const request = (await eventsOf(done.id)).find((e) => e.kind === "llm.request");
      expect(JSON.stringify(request?.payload)).toContain("fs_list_directory");
    });
  }

  it("a server that dies or hangs fails the call naming it; the worker goes on", async () => {
    await register(stdio("dies", ["-e", "process.exit(3)"]));
    await register(stdio("hangs", ["-e", "setInterval(() => {}, 1000)"]));
    const dies = await runNodes([mcpNode("dies", "anything", {})]);
    expect(dies.status).toBe("failed");
    expect(dies.error_summary).toContain("MCP server dies:");
    const hangs = await runNodes([mcpNode("hangs", "anything", {})]);
    expect(hangs.status).toBe("failed");
    expect(hangs.error_summary).toMatch(/MCP server hangs: .*timed out/i);
    const fine = await runNodes([mcpNode("fs", "list_allowed_directories", {})]);
    expect(fine.status, fine.error_summary).toBe("succeeded");
  });

  it("a secret in a server's env reaches the server and is scrubbed from what its tools return", async () => {
    expect((await call("POST", "/api/secrets", { name: "MCP_TOKEN", value: "mcp-secret-7781" })).status).toBe(201);
    await register(stdio("envy", [EVERYTHING, "stdio"], { MCP_TOKEN: "{{secret.MCP_TOKEN}}" }));
    const done = await runNodes([mcpNode("envy", "get-env", {})]);
    expect(done.status, done.error_summary).toBe("succeeded");
    const output = JSON.stringify(await outputOf(done.id));
    expect(output).toContain("[secret MCP_TOKEN]");
    expect(output).not.toContain("mcp-secret-7781");
    expect(JSON.stringify(await eventsOf(done.id))).not.toContain("mcp-secret-7781");
  });
});
