/**
 * The services object: what every transport (REST/SSE, GraphQL, the CLI through them) is given to
 * call the use cases with. Built once per process by the composition root (stack.ts); each service
 * function takes the part of it it needs.
 */
import type { PrismaClient } from "../db/prisma.ts";
import type { PriceMap } from "../domain/pricing/pricing.ts";
import type { McpConnections } from "../mcp/connections.ts";
import type { ProviderInfo } from "../providers/registry.ts";
import type { JobQueue } from "../queue/queue.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import type { Keyring } from "../secrets/keyring.ts";
import type { VersionInfo } from "../version.ts";

export interface Services {
  prisma: PrismaClient;
  queue: JobQueue;
  pubsub: PubSub;
  /** The configured providers (names and kinds, never keys). */
  providers: () => ProviderInfo[];
  providerNames: () => string[];
  prices: PriceMap;
  version: () => Promise<VersionInfo>;
  /** Encrypts and decrypts project secrets. */
  keyring: Keyring;
  /** Connections to MCP servers (tool discovery), and their settings. */
  mcp: McpConnections;
  mcpSettings: { stdio: boolean; callTimeoutMs: number };
}

export function createServices(parts: {
  keyring: Keyring;
  mcp: McpConnections;
  mcpSettings: { stdio: boolean; callTimeoutMs: number };
  prisma: PrismaClient;
  queue: JobQueue;
  pubsub: PubSub;
  providers: ProviderInfo[];
  prices: PriceMap;
  version: () => Promise<VersionInfo>;
}): Services {
  const { providers, ...rest } = parts;
  return { ...rest, providers: () => providers, providerNames: () => providers.map((p) => p.name) };
}
