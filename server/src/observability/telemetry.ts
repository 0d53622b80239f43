/**
 * A process's telemetry: Prometheus metrics always, OpenTelemetry spans when an OTLP endpoint is
 * configured — both fed by the trace events the process stores (EngineDeps.observe).
 */
import type { Config } from "../config/env.ts";
import type { TraceEvent } from "../domain/trace/events.ts";
import type { JobQueue } from "../queue/queue.ts";
import type { Logger } from "./logger.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { createSpanSink } from "./otel.ts";
import { type RunInfo, SpanProjector } from "./span-projector.ts";

export interface Telemetry {
  metrics: Metrics;
  /** Null when no OTLP endpoint is configured. */
  spans: SpanProjector | null;
  observe(events: readonly TraceEvent[]): void;
  /** Every span of the events observed so far handed to the exporter and exported. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const host = (url: string | null, fallback: string) => {
  try {
    return url ? new URL(url).hostname : fallback;
  } catch {
    return fallback;
  }
};

/** Where each configured provider's calls go (server.address); never its key or path. */
function serverAddresses(config: Config): Map<string, string> {
  const { openai, anthropic, compatible } = config.providers;
  return new Map([
    ["openai", host(openai.baseUrl, "api.openai.com")],
    ["anthropic", host(anthropic.baseUrl, "api.anthropic.com")],
    ...compatible.map((c) => [c.name, host(c.baseUrl, c.name)] as [string, string]),
  ]);
}

function providerSecrets(config: Config): string[] {
  const { openai, anthropic, compatible } = config.providers;
  return [openai.apiKey, anthropic.apiKey, ...compatible.map((c) => c.apiKey), config.apiToken].filter(
    (k): k is string => Boolean(k),
  );
}

export function createTelemetry(deps: {
  config: Config;
  logger: Logger;
  /** What spans need of a run (its workflow, start, inbound trace context); from services/run-reads.ts. */
  loadRun: (runId: string) => Promise<RunInfo | null>;
  queue?: Pick<JobQueue, "jobCounts">;
}): Telemetry {
  const metrics = createMetrics({
    ...(deps.queue ? { queue: deps.queue } : {}),
    projectOf: async (runId) => (await deps.loadRun(runId))?.projectName ?? null,
  });
  const sink = createSpanSink(deps.config, deps.logger, (n) => metrics.spansDropped(n));
  const addresses = serverAddresses(deps.config);
  const spans = sink
    ? new SpanProjector(sink, {
        loadRun: deps.loadRun,
        captureContent: deps.config.otel.captureContent,
        serverAddress: (provider) => addresses.get(provider),
        secrets: providerSecrets(deps.config),
      })
    : null;
  return {
    metrics,
    spans,
    observe(events) {
      metrics.observe(events);
      spans?.observe(events);
    },
    async flush() {
      await spans?.idle();
      await sink?.flush();
    },
    async shutdown() {
      await spans?.idle();
      await sink?.shutdown();
    },
  };
}
