/** What the engine needs from the process: storage, pub/sub, providers, prices, and its knobs. */
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { PrismaClient } from "../db/prisma.ts";
import type { SqlWriter } from "../db/sql-writer.ts";
import type { PriceMap } from "../domain/pricing/pricing.ts";
import type { ServerCaps } from "../domain/workflow/validate.ts";
import type { McpConnections } from "../mcp/connections.ts";
import type { Logger } from "../observability/logger.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import type { LlmResult } from "../providers/types.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import type { Keyring } from "../secrets/keyring.ts";
import type { SecretResolver } from "../services/secrets.ts";
import type { TraceObserver } from "../trace/recorder.ts";
import type { SingleFlight } from "./single-flight.ts";

/** How runs reach their project's MCP servers. */
export interface EngineMcp {
  connections: McpConnections;
  /** Opens the servers' sealed env and headers. */
  keyring: Keyring;
  /** FLOWTRACE_MCP_STDIO. */
  stdio: boolean;
  callTimeoutMs: number;
}

export interface EngineDeps {
  prisma: PrismaClient;
  pubsub: PubSub;
  providers: ProviderRegistry;
  prices: PriceMap;
  fetchAllow: readonly string[];
  logger: Logger;
  checkpointer: BaseCheckpointSaver;
  caps?: ServerCaps;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Identical LLM calls in flight share one provider call (default: one per process). */
  singleFlight?: SingleFlight<LlmResult>;
  /** Told each stored batch of trace events (metrics, OpenTelemetry spans). */
  observe?: TraceObserver;
  /**
   * Called before every paid provider call: throws (a LimitExceededError) when the run's project
   * has used up a hard budget, so a running run stops before spending more.
   */
  spendGuard?: (runId: string) => Promise<void>;
  /** Where a run's trace batches (and the step rows riding with them) are written; default Prisma. */
  traceWriter?: SqlWriter;
  /** MCP servers' tools (tool nodes and agent tools); without it, such a call fails saying so. */
  mcp?: EngineMcp;
  /** Where code steps run (default: the process's sandbox threads). */
  sandbox?: Sandbox;
  /** A project's secrets (read at call time); without it, a `{{secret.NAME}}` fails its call. */
  secrets?: (projectId: string) => SecretResolver;
}
