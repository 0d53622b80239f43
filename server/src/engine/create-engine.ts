/** Builds the engine's dependencies for a process that executes runs. */
import { readFile } from "node:fs/promises";
import { pgWriter } from "../db/sql-writer.ts";
import { PriceMap } from "../domain/pricing/pricing.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import { createProviderRegistry } from "../providers/registry.ts";
import type { Resources } from "../resources.ts";
import { secretResolver } from "../services/secrets.ts";
import { createCheckpointer } from "./checkpointer.ts";
import type { EngineDeps } from "./executor.ts";

export async function loadPrices(file: string | null): Promise<PriceMap> {
  if (!file) return PriceMap.defaults();
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`FLOWTRACE_PRICING_FILE ${file} could not be read as JSON: ${(error as Error).message}`);
  }
  return PriceMap.fromData(data);
}

export async function createEngine(
  resources: Resources,
  telemetry?: Pick<Telemetry, "observe">,
  spendGuard?: EngineDeps["spendGuard"],
): Promise<{ deps: EngineDeps; close(): Promise<void> }> {
  const { config, logger, db, pubsub } = resources;
  const prices = await loadPrices(config.pricingFile);
  const providers = await createProviderRegistry(config);
  // The executor's own connections: LangGraph's checkpoints and the trace's per-step statement.
  const pool = db.pool();
  const checkpointer = await createCheckpointer(pool);
  logger.info(
    { providers: providers.describe(), prices: prices.asOf },
    providers.simulated
      ? "LLM providers: built-in simulator (no provider keys configured)"
      : "LLM providers configured",
  );
  return {
    deps: {
      prisma: db.prisma,
      pubsub,
      providers,
      prices,
      // The server's own demo documents are always reachable by the fetch tool.
      fetchAllow: [...config.fetchAllow, new URL(config.publicUrl).host],
      logger,
      checkpointer,
      traceWriter: pgWriter(pool),
      ...(telemetry ? { observe: telemetry.observe } : {}),
      ...(spendGuard ? { spendGuard } : {}),
      secrets: (projectId) => secretResolver(db.prisma, resources.keyring, projectId),
      mcp: {
        connections: resources.mcp,
        keyring: resources.keyring,
        stdio: config.tools.mcpStdio,
        callTimeoutMs: config.tools.mcpCallTimeoutMs,
      },
    },
    async close() {
      await providers.close();
    },
  };
}
