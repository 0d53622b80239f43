/**
 * The caller's project's MCP servers over REST:
 * - `POST /api/mcp-servers {name, transport, command?, args?, env?, url?, headers?}` → 201 (stdio:
 *   project admins, and only while FLOWTRACE_MCP_STDIO is on); a name taken is 409;
 * - `GET /api/mcp-servers` → `{items}`, `GET /api/mcp-servers/:id`, `PUT` (the whole server),
 *   `DELETE` → 204; env and header values are never answered, only their names;
 * - `GET /api/mcp-servers/:id/tools[?refresh=1]` → `{items: [{name, description, input_schema}],
 *   discovered_at}`: discovered live the first time (or on refresh), then as kept; a server that
 *   cannot be reached is 502 `upstream_failed`, naming it.
 */
import { mcpServerBody } from "@flowtrace/contract/mcp";
import type { Hono } from "hono";
import { requestScope } from "../http/caller.ts";
import {
  createMcpServer,
  deleteMcpServer,
  getMcpServer,
  listMcpServers,
  type McpDeps,
  mcpServerTools,
  updateMcpServer,
} from "../services/mcp-servers.ts";
import { body, idParam } from "./request.ts";

export function mcpServerRoutes(app: Hono, deps: McpDeps): void {
  app.post("/mcp-servers", async (c) => {
    const { prisma, caller } = requestScope();
    const b = await body(c.req.raw, mcpServerBody);
    return c.json(await createMcpServer(prisma, deps, caller.projectId, b), 201);
  });
  app.get("/mcp-servers", async (c) => c.json({ items: await listMcpServers(requestScope().prisma) }));
  app.get("/mcp-servers/:id", async (c) =>
    c.json(await getMcpServer(requestScope().prisma, idParam(c, "id", "MCP server"))),
  );
  app.put("/mcp-servers/:id", async (c) => {
    const id = idParam(c, "id", "MCP server");
    const b = await body(c.req.raw, mcpServerBody);
    return c.json(await updateMcpServer(requestScope().prisma, deps, id, b));
  });
  app.delete("/mcp-servers/:id", async (c) => {
    await deleteMcpServer(requestScope().prisma, idParam(c, "id", "MCP server"));
    return c.body(null, 204);
  });
  app.get("/mcp-servers/:id/tools", async (c) => {
    const refresh = ["1", "true"].includes(c.req.query("refresh") ?? "");
    return c.json(await mcpServerTools(requestScope().prisma, deps, idParam(c, "id", "MCP server"), refresh));
  });
}
