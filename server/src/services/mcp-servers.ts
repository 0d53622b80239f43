/**
 * A project's MCP servers: registered (stdio only by project admins, and only while
 * FLOWTRACE_MCP_STDIO is on: a stdio server is a command run on the worker host), listed without
 * their env and header values, replaced, deleted — each audited — and their tools discovered live,
 * kept with the server and refreshed on request. The engine reaches a server through `mcpTargetOf`.
 */
import type { McpServerBody, McpServerJson, McpToolJson } from "@flowtrace/contract/mcp";
import { Prisma, type PrismaClient } from "../db/prisma.ts";
import { createRunSecrets } from "../engine/run-secrets.ts";
import type { McpConnections, McpTool } from "../mcp/connections.ts";
import { targetOf } from "../mcp/targets.ts";
import type { Keyring } from "../secrets/keyring.ts";
import { actorOfCaller, audit } from "./audit.ts";
import { ConflictError, NotFoundError, RefusedError, UpstreamError } from "./errors.ts";
import { currentCaller } from "./request-context.ts";
import { secretResolver } from "./secrets.ts";

type Row = Awaited<ReturnType<PrismaClient["mcpServer"]["create"]>>;

export interface McpDeps {
  keyring: Keyring;
  mcp: McpConnections;
  /** FLOWTRACE_MCP_STDIO, and the per-request timeout. */
  mcpSettings: { stdio: boolean; callTimeoutMs: number };
}

import { mcpConfigAad as aadOf } from "../mcp/targets.ts";

export function mcpServerJson(row: Row): McpServerJson {
  return {
    id: row.id,
    name: row.name,
    transport: row.transport as "stdio" | "http",
    command: row.command,
    args: row.args,
    url: row.url,
    env_keys: row.envKeys,
    header_keys: row.headerKeys,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    tools_discovered_at: row.toolsAt?.toISOString() ?? null,
  };
}

/** Who may register what: stdio needs the setting on and an admin of the project. */
function checkAllowed(deps: McpDeps, body: McpServerBody) {
  if (body.transport !== "stdio") return;
  if (!deps.mcpSettings.stdio) {
    throw new RefusedError(403, "forbidden", "stdio MCP servers are disabled on this server (FLOWTRACE_MCP_STDIO=off)");
  }
  const caller = currentCaller();
  const admin =
    !caller ||
    caller.kind === "local" ||
    caller.kind === "instance" ||
    (caller.kind === "api_key" && caller.scopes.includes("admin")) ||
    (caller.kind === "user" && (caller.role === "owner" || caller.role === "admin"));
  if (!admin) {
    throw new RefusedError(
      403,
      "forbidden",
      "only project admins may register stdio MCP servers (they run commands on the worker host)",
    );
  }
}

function rowData(keyring: Keyring, projectId: string, body: McpServerBody) {
  const config = { env: body.env ?? {}, headers: body.headers ?? {} };
  const sealed = keyring.seal(JSON.stringify(config), aadOf(projectId, body.name));
  return {
    name: body.name,
    transport: body.transport,
    command: body.transport === "stdio" ? (body.command ?? null) : null,
    args: body.transport === "stdio" ? (body.args ?? []) : [],
    url: body.transport === "http" ? (body.url ?? null) : null,
    envKeys: Object.keys(config.env),
    headerKeys: Object.keys(config.headers),
    sealedConfig: sealed.ciphertext,
    sealedKeyId: sealed.keyId,
    tools: Prisma.DbNull,
    toolsAt: null,
  };
}

const taken = (name: string) => new ConflictError(`an MCP server named ${name} already exists in this project`);

export async function createMcpServer(prisma: PrismaClient, deps: McpDeps, projectId: string, body: McpServerBody) {
  checkAllowed(deps, body);
  const caller = currentCaller();
  const createdBy = caller ? actorOfCaller(caller).name : "system";
  try {
    const row = await prisma.mcpServer.create({
      data: { projectId, createdBy, ...rowData(deps.keyring, projectId, body) },
    });
    await audit(prisma, {
      action: "mcp_server.create",
      targetType: "mcp_server",
      targetId: row.id,
      details: { name: row.name, transport: row.transport },
    });
    return mcpServerJson(row);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw taken(body.name);
    throw error;
  }
}

async function found(prisma: PrismaClient, id: string): Promise<Row> {
  const row = await prisma.mcpServer.findFirst({ where: { id } });
  if (!row) throw new NotFoundError(`MCP server ${id} does not exist`);
  return row;
}

export async function updateMcpServer(prisma: PrismaClient, deps: McpDeps, id: string, body: McpServerBody) {
  const row = await found(prisma, id);
  checkAllowed(deps, body);
  try {
    const updated = await prisma.mcpServer.update({
      where: { id: row.id },
      data: rowData(deps.keyring, row.projectId, body),
    });
    await audit(prisma, {
      action: "mcp_server.update",
      targetType: "mcp_server",
      targetId: id,
      details: { name: body.name },
    });
    return mcpServerJson(updated);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw taken(body.name);
    throw error;
  }
}

export async function deleteMcpServer(prisma: PrismaClient, id: string): Promise<void> {
  const row = await found(prisma, id);
  await prisma.mcpServer.delete({ where: { id: row.id } });
  await audit(prisma, {
    action: "mcp_server.delete",
    targetType: "mcp_server",
    targetId: id,
    details: { name: row.name },
  });
}

export async function listMcpServers(prisma: PrismaClient): Promise<McpServerJson[]> {
  return (await prisma.mcpServer.findMany({ orderBy: { name: "asc" } })).map(mcpServerJson);
}

export async function getMcpServer(prisma: PrismaClient, id: string): Promise<McpServerJson> {
  return mcpServerJson(await found(prisma, id));
}

const toolJson = (t: McpTool): McpToolJson => ({
  name: t.name,
  description: t.description,
  input_schema: t.inputSchema,
});

/** The server's tools: as last discovered, or (first time, or `refresh`) asked of the server now. */
export async function mcpServerTools(prisma: PrismaClient, deps: McpDeps, id: string, refresh: boolean) {
  const row = await found(prisma, id);
  if (row.tools && row.toolsAt && !refresh)
    return { items: row.tools as unknown as McpToolJson[], discovered_at: row.toolsAt.toISOString() };
  if (row.transport === "stdio" && !deps.mcpSettings.stdio) {
    throw new RefusedError(403, "forbidden", "stdio MCP servers are disabled on this server (FLOWTRACE_MCP_STDIO=off)");
  }
  const secrets = createRunSecrets(secretResolver(prisma, deps.keyring, row.projectId));
  const target = await targetOf(row, deps.keyring, secrets);
  const tools = await deps.mcp
    .listTools(target, { timeoutMs: deps.mcpSettings.callTimeoutMs, fresh: true })
    .catch((error: unknown) => {
      throw new UpstreamError(secrets.scrub(error instanceof Error ? error : new Error(String(error))).message);
    });
  const items = tools.map(toolJson);
  const updated = await prisma.mcpServer.update({
    where: { id: row.id },
    data: { tools: items as unknown as Prisma.InputJsonValue, toolsAt: new Date() },
  });
  return { items, discovered_at: updated.toolsAt?.toISOString() ?? null };
}
