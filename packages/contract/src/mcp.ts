/**
 * MCP servers over REST (`/api/mcp-servers`): a project's registered servers, whose tools become
 * tool nodes (`{"mcp": "fs", "tool": "read_text_file"}`) and agent tools. `env` and `headers`
 * values may name `{{secret.NAME}}`; they are stored encrypted and never answered back (only their
 * names are).
 */
import { z } from "zod";

export const MCP_SERVER_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const mcpServerName = z.string().regex(MCP_SERVER_NAME, {
  message: "expected a name of lowercase letters, digits, _ or - (at most 40), e.g. fs",
});

const stringMap = (what: string) =>
  z
    .record(z.string().min(1).max(200), z.string().max(8_192))
    .refine((m) => Object.keys(m).length <= 50, { message: `expected at most 50 ${what}` });

const serverFields = {
  name: mcpServerName,
  transport: z.enum(["stdio", "http"], { message: "expected stdio or http" }),
  command: z.string().min(1).max(1_000).optional().describe("stdio: the program to start."),
  args: z.array(z.string().max(4_000)).max(100).optional().describe("stdio: its arguments."),
  env: stringMap("variables").optional().describe("stdio: extra environment (values may name {{secret.NAME}})."),
  url: z
    .string()
    .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), { message: "expected an http(s) URL" })
    .optional()
    .describe("http: the server's Streamable HTTP endpoint (SSE-only servers work too)."),
  headers: stringMap("headers").optional().describe("http: request headers (values may name {{secret.NAME}})."),
};

type ServerBody = { transport: "stdio" | "http"; command?: string | undefined; url?: string | undefined };

function checkTransport(b: ServerBody, ctx: z.RefinementCtx) {
  if (b.transport === "stdio" && !b.command) {
    ctx.addIssue({ code: "custom", path: ["command"], message: "expected the command a stdio server runs" });
  }
  if (b.transport === "http" && !b.url) {
    ctx.addIssue({ code: "custom", path: ["url"], message: "expected the URL of an http server" });
  }
}

export const mcpServerBody = z.strictObject(serverFields).superRefine(checkTransport);
export type McpServerBody = z.infer<typeof mcpServerBody>;

/** A registered server as listed: never its env or header values. */
export interface McpServerJson {
  id: string;
  name: string;
  transport: "stdio" | "http";
  command: string | null;
  args: string[];
  url: string | null;
  env_keys: string[];
  header_keys: string[];
  created_by: string;
  created_at: string;
  updated_at: string;
  tools_discovered_at: string | null;
}

/** One tool of a server, as discovered. */
export interface McpToolJson {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}
