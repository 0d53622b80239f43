/**
 * `POST /mcp`: this project's workflows as MCP tools, over Streamable HTTP with the official SDK's
 * server (stateless: each request is a complete exchange, so any API process answers any call).
 * The caller is identified like any API request (a project API key needs `runs:write`); the tool
 * list and calls are the key's project's. A call's run reports its progress as notifications while
 * it runs (when the client sent a progress token).
 */
import { createRequire } from "node:module";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { RunServiceDeps } from "../services/runs.ts";
import { callWorkflowTool, listWorkflowTools, type WorkflowToolOutcome } from "../services/workflow-tools.ts";

export interface McpEndpointDeps extends RunServiceDeps {
  publicUrl: string;
  /** How long a call waits for its run before answering with the run's id (FLOWTRACE_MCP_TOOL_WAIT_MS). */
  waitMs: number;
}

const VERSION = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function resultOf(outcome: WorkflowToolOutcome): CallToolResult {
  const run = { run_id: outcome.runId, url: outcome.url };
  if (outcome.state === "succeeded") {
    return {
      content: [{ type: "text", text: text(outcome.output ?? null) }],
      ...(isObject(outcome.output) ? { structuredContent: outcome.output } : {}),
    };
  }
  if (outcome.state === "failed") {
    return { isError: true, content: [{ type: "text", text: `run ${outcome.runId} failed: ${outcome.error}` }] };
  }
  return {
    content: [{ type: "text", text: `the run is still going: ${outcome.url}` }],
    structuredContent: { ...run, status: "running" },
  };
}

function serverFor(deps: McpEndpointDeps): Server {
  const server = new Server({ name: "flowtrace", version: VERSION }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await listWorkflowTools(deps)).map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: t.inputSchema as { type: "object" },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const token = request.params._meta?.progressToken;
    const progress = async (done: number, total: number) => {
      if (token === undefined) return;
      const message = `${done} of ${total} steps done`;
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken: token, progress: done, total, message },
      });
    };
    try {
      return resultOf(await callWorkflowTool(deps, request.params.name, request.params.arguments ?? {}, progress));
    } catch (error) {
      return {
        isError: true,
        content: [{ type: "text", text: error instanceof Error ? error.message : String(error) }],
      };
    }
  });
  return server;
}

export async function answerMcp(deps: McpEndpointDeps, request: Request): Promise<Response> {
  const server = serverFor(deps);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  return transport.handleRequest(request);
}
