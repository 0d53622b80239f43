/**
 * Prometheus metrics (prom-client), one registry per process, fed by the trace events the process
 * stores: the same facts the trace records, counted. Labels stay low-cardinality: statuses, node
 * types, providers, models, token kinds — never a run id.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { TraceEvent } from "../domain/trace/events.ts";
import type { JobQueue } from "../queue/queue.ts";
import { QUEUES, type QueueName } from "../queue/queues.ts";

export interface Metrics {
  readonly registry: Registry;
  observe(events: readonly TraceEvent[]): void;
  spansDropped(n: number): void;
}

type Payload = Record<string, unknown>;

type QueueCounts = Pick<JobQueue, "jobCounts">;

function gauges(registry: Registry, running: ReadonlySet<string>, queue: QueueCounts | null) {
  const registers = [registry];
  new Gauge({
    name: "flowtrace_runs_in_progress",
    help: "Runs this process is executing.",
    registers,
    collect() {
      this.set(running.size);
    },
  });
  if (!queue) return;
  new Gauge({
    name: "flowtrace_queue_jobs",
    help: "Jobs in the queue, by queue and state.",
    labelNames: ["queue", "state"],
    registers,
    async collect() {
      for (const name of Object.keys(QUEUES) as QueueName[]) {
        const counts = await queue.jobCounts(name).catch(() => ({}) as Record<string, number>);
        for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      }
    },
  });
}

function instruments(registry: Registry) {
  const registers = [registry];
  return {
    runs: new Counter({
      name: "flowtrace_runs_total",
      help: "Runs that ended, by status.",
      labelNames: ["status"],
      registers,
    }),
    steps: new Histogram({
      name: "flowtrace_step_duration_seconds",
      help: "Step durations, by node type and status.",
      labelNames: ["node_type", "status"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    requests: new Counter({
      name: "flowtrace_llm_requests_total",
      help: "LLM provider calls, by outcome (success, error, cache_hit).",
      labelNames: ["provider", "model", "outcome"],
      registers,
    }),
    tokens: new Counter({
      name: "flowtrace_llm_tokens_total",
      help: "Tokens of answered LLM calls, by kind (input, cached_input, cache_write, output, reasoning).",
      labelNames: ["provider", "model", "kind"],
      registers,
    }),
    cost: new Counter({
      name: "flowtrace_llm_cost_usd_total",
      help: "What answered LLM calls cost in US dollars (priced models only).",
      labelNames: ["provider", "model"],
      registers,
    }),
    cacheHits: new Counter({ name: "flowtrace_cache_hits_total", help: "Exact-match cache hits.", registers }),
    retries: new Counter({ name: "flowtrace_retries_total", help: "Failed attempts that were retried.", registers }),
    fallbacks: new Counter({
      name: "flowtrace_fallbacks_total",
      help: "Moves to the next provider of a chain.",
      registers,
    }),
    dropped: new Counter({
      name: "flowtrace_otel_spans_dropped_total",
      help: "Spans the OTLP exporter could not deliver (collector away or its buffer full).",
      registers,
    }),
  };
}

type Instruments = ReturnType<typeof instruments>;

const TOKEN_KINDS = [
  ["inputTokens", "input"],
  ["cachedInputTokens", "cached_input"],
  ["cacheWriteTokens", "cache_write"],
  ["outputTokens", "output"],
  ["reasoningTokens", "reasoning"],
] as const;

function countResponse(m: Instruments, p: Payload) {
  const labels = { provider: String(p.provider), model: String(p.model) };
  m.requests.inc({ ...labels, outcome: "success" });
  const usage = (p.usage ?? {}) as Record<string, number>;
  for (const [field, kind] of TOKEN_KINDS) if (usage[field]) m.tokens.inc({ ...labels, kind }, usage[field]);
  if (typeof p.costCents === "string") m.cost.inc(labels, Number(p.costCents) / 100);
}

/** What each stored event adds to the counters; `running` follows which runs this process executes. */
function count(
  m: Instruments,
  e: TraceEvent,
  running: Set<string>,
  stepTypes: Map<string, { type: string; startedAt: number }>,
) {
  const p = e.payload as Payload;
  if (e.kind === "run.finished") running.delete(e.runId);
  else running.add(e.runId);
  switch (e.kind) {
    case "run.finished":
      return m.runs.inc({ status: String(p.status) });
    case "step.started":
      if (e.stepId) stepTypes.set(e.stepId, { type: String(p.type), startedAt: Date.parse(e.ts) });
      return;
    case "step.finished":
    case "step.failed":
      return observeStep(m, e, stepTypes);
    case "llm.response":
      return countResponse(m, p);
    case "retry":
      if ("provider" in p) m.requests.inc({ provider: String(p.provider), model: String(p.model), outcome: "error" });
      if (p.willRetry) m.retries.inc();
      return;
    case "cache.hit":
      m.cacheHits.inc();
      return m.requests.inc({ provider: String(p.provider), model: String(p.model), outcome: "cache_hit" });
    case "fallback":
      return m.fallbacks.inc();
  }
}

/** A step's duration: its own latency, else since its start (a step this process saw begin). */
function observeStep(m: Instruments, e: TraceEvent, stepTypes: Map<string, { type: string; startedAt: number }>) {
  if (!e.stepId) return;
  const started = stepTypes.get(e.stepId);
  stepTypes.delete(e.stepId);
  const latency = (e.payload as Payload).latencyMs;
  const ms = typeof latency === "number" ? latency : started ? Date.parse(e.ts) - started.startedAt : null;
  if (ms === null) return;
  const status = e.kind === "step.finished" ? "succeeded" : "failed";
  m.steps.observe({ node_type: started?.type ?? "unknown", status }, ms / 1000);
}

/**
 * Node.js process metrics (prom-client's defaults), less three gauges whose `_total` suffix
 * Prometheus reserves for counters (`promtool check metrics` refuses them); their per-type
 * companions (`nodejs_active_handles{type}` and the like) carry the same counts.
 */
const MISNAMED_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

function defaultMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
}

export function createMetrics(options: { defaultMetrics?: boolean; queue?: QueueCounts } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) defaultMetrics(registry);
  const m = instruments(registry);
  const running = new Set<string>();
  const stepTypes = new Map<string, { type: string; startedAt: number }>();
  gauges(registry, running, options.queue ?? null);
  return {
    registry,
    observe(events) {
      for (const e of events) count(m, e, running, stepTypes);
    },
    spansDropped: (n) => m.dropped.inc(n),
  };
}
