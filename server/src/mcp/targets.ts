/**
 * A stored MCP server as a call needs it: its sealed env and headers opened with the keyring and
 * their `{{secret.…}}` filled (the run's secrets remember each value, to scrub it from results).
 */
import type { PrismaClient } from "../db/prisma.ts";
import type { Keyring } from "../secrets/keyring.ts";
import type { McpTarget } from "./connections.ts";

type Row = Awaited<ReturnType<PrismaClient["mcpServer"]["create"]>>;

/** What a server's sealed `{env, headers}` is bound to (its project and name). */
export const mcpConfigAad = (projectId: string, name: string) => `mcp/${projectId}/${name}`;

export async function targetOf(
  row: Row,
  keyring: Keyring,
  secrets: { fill(text: string): Promise<string> },
): Promise<McpTarget> {
  const config = row.sealedConfig
    ? (JSON.parse(
        keyring.open(
          { ciphertext: row.sealedConfig, keyId: row.sealedKeyId ?? "" },
          mcpConfigAad(row.projectId, row.name),
        ),
      ) as { env: Record<string, string>; headers: Record<string, string> })
    : { env: {}, headers: {} };
  const fill = async (m: Record<string, string>) =>
    Object.fromEntries(await Promise.all(Object.entries(m).map(async ([k, v]) => [k, await secrets.fill(v)] as const)));
  return {
    id: row.id,
    name: row.name,
    transport: row.transport as "stdio" | "http",
    command: row.command,
    args: row.args,
    url: row.url,
    env: await fill(config.env),
    headers: await fill(config.headers),
  };
}
