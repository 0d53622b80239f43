/**
 * Workflows as MCP tools (`POST /mcp`), with real third-party clients: the official SDK client and
 * the MCP Inspector CLI. Only workflows marked expose_as_tool are listed, with their declared
 * inputs as the schema; a call starts a run (triggered_by "mcp") and answers with its output
 * (structured when an object), with progress notifications while it runs; a failed run is an error
 * result; a run still waiting at the limit answers with its id and URL. Keys need runs:write and see
 * their own project's workflows only.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restClient } from "./helpers/rest.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

const INSPECTOR = createRequire(import.meta.url).resolve("@modelcontextprotocol/inspector-cli/build/index.js");
const TOKEN = "w".repeat(32);
let stack: Stack;
const keys = { writer: "", reader: "", other: "" };
const call = (method: string, p: string, body?: unknown) =>
  restClient(() => stack.url)(method, p, body, { authorization: `Bearer ${TOKEN}` });

const codeDoc = (source: string, inputs?: object) => ({
  version: "1",
  entry: "c",
  ...(inputs ? { inputs } : {}),
  nodes: [{ id: "c", type: "code", name: "C", config: { source } }],
  edges: [],
});

async function workflow(name: string, graph: object, expose: boolean, description?: string) {
  const r = await call("POST", "/api/workflows", { name, graph_json: graph, expose_as_tool: expose, description });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

async function keyFor(projectId: string, scopes: string[]) {
  const r = await call("POST", `/api/projects/${projectId}/api-keys`, { name: scopes.join("+"), scopes });
  return r.body.key as string;
}

async function connected(key: string): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  const headers = { authorization: `Bearer ${key}` };
  await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/mcp`), { requestInit: { headers } }));
  return client;
}

beforeAll(async () => {
  stack = await startStack({ apiToken: TOKEN, mcpToolWaitMs: 1_500 });
  const projects = await call("GET", "/api/projects");
  const defaultId = projects.body.items.find((p: { name: string }) => p.name === "default").id;
  const other = await call("POST", "/api/projects", { name: "other" });
  keys.writer = await keyFor(defaultId, ["runs:write"]);
  keys.reader = await keyFor(defaultId, ["runs:read"]);
  keys.other = await keyFor(other.body.id, ["runs:write"]);
  const inputs = {
    topic: { type: "string", description: "What to shout" },
    times: { type: "integer", required: false },
  };
  await workflow(
    "Shout topic",
    codeDoc("return { shout: input.topic.toUpperCase(), times: input.times ?? 1 }", inputs),
    true,
    "Shouts the topic.",
  );
  await workflow("Fails", codeDoc("throw new Error('no luck ' + input.x)"), true);
  const waits = {
    version: "1",
    entry: "gate",
    nodes: [{ id: "gate", type: "approval", name: "Gate", config: { message: "Go on?" } }],
    edges: [],
  };
  await workflow("Waits for a person", waits, true);
  await workflow("Hidden", codeDoc("return 1"), false);
});
afterAll(() => stack?.close());

describe("POST /mcp", () => {
  it("lists the exposed workflows with their inputs as the schema (official SDK client)", async () => {
    const client = await connected(keys.writer);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["Fails", "Shout_topic", "Waits_for_a_person"]);
    const shout = tools.find((t) => t.name === "Shout_topic");
    expect(shout?.description).toBe("Shouts the topic.");
    expect(shout?.inputSchema).toEqual({
      type: "object",
      properties: { topic: { type: "string", description: "What to shout" }, times: { type: "integer" } },
      required: ["topic"],
    });
    await client.close();
  });

  it("a call runs the workflow and answers with its output, reporting progress", async () => {
    const client = await connected(keys.writer);
    const progress: number[] = [];
    const result = await client.callTool({ name: "Shout_topic", arguments: { topic: "otters" } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ shout: "OTTERS", times: 1 });
    expect(progress.at(-1)).toBe(1);
    const runs = await stack.prisma.workflowRun.findMany({ where: { triggeredBy: "mcp" } });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.inputVars).toEqual({ topic: "otters" });
    await client.close();
  });

  it("a failed run is an error result with its summary; a run still waiting answers with its id and URL", async () => {
    const client = await connected(keys.writer);
    const failed = await client.callTool({ name: "Fails", arguments: { x: 7 } });
    expect(failed.isError).toBe(true);
    expect(JSON.stringify(failed.content)).toContain("no luck 7");
    const waiting = await client.callTool({ name: "Waits_for_a_person", arguments: {} });
    expect(waiting.isError).toBeFalsy();
    const run = waiting.structuredContent as { run_id: string; url: string; status: string };
    expect(run.status).toBe("running");
    expect(run.url).toBe(`${stack.url}/runs/${run.run_id}`);
    const unknown = await client.callTool({ name: "Hidden", arguments: {} });
    expect(unknown.isError).toBe(true);
    await client.close();
  });

  it("needs runs:write, and a key sees its own project's workflows only", async () => {
    await expect(connected(keys.reader)).rejects.toThrow(/403|runs:write/);
    const other = await connected(keys.other);
    expect((await other.listTools()).tools).toEqual([]);
    await other.close();
    const anonymous = await fetch(`${stack.url}/mcp`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
  });

  it("works with the MCP Inspector CLI as a third-party client: list tools, call one, read the result", async () => {
    // Run from its own build folder: it finds its package.json relative to the working directory.
    const options = { timeout: 60_000, cwd: path.dirname(INSPECTOR) };
    const auth = ["--transport", "http", "--header", `Authorization: Bearer ${keys.writer}`];
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [INSPECTOR, `${stack.url}/mcp`, ...auth, ...args], options);
    const listed = JSON.parse((await run(["--method", "tools/list"])).stdout);
    expect(listed.tools.map((t: { name: string }) => t.name)).toContain("Shout_topic");
    const called = JSON.parse(
      (await run(["--method", "tools/call", "--tool-name", "Shout_topic", "--tool-arg", "topic=inspector"])).stdout,
    );
    expect(called.structuredContent).toEqual({ shout: "INSPECTOR", times: 1 });
  });
});
