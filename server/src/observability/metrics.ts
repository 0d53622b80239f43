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
      labelNames: ["project", "status"],
      registers,
    }),
    steps: new Histogram({
      name: "flowtrace_step_duration_seconds",
      help: "Step durations, by node type and status.",
      labelNames: ["project", "node_type", "status"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    requests: new Counter({
      name: "flowtrace_llm_requests_total",
      help: "LLM provider calls, by outcome (success, error, cache_hit).",
      labelNames: ["project", "provider", "model", "outcome"],
      registers,
    }),
    tokens: new Counter({
      name: "flowtrace_llm_tokens_total",
      help: "Tokens of answered LLM calls, by kind (input, cached_input, cache_write, output, reasoning).",
      labelNames: ["project", "provider", "model", "kind"],
      registers,
    }),
    cost: new Counter({
      name: "flowtrace_llm_cost_usd_total",
      help: "What answered LLM calls cost in US dollars (priced models only).",
      labelNames: ["project", "provider", "model"],
      registers,
    }),
    cacheHits: new Counter({
      name: "flowtrace_cache_hits_total",
      help: "Exact-match cache hits.",
      labelNames: ["project"],
      registers,
    }),
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

function countResponse(m: Instruments, p: Payload, project: string) {
  const labels = { project, provider: String(p.provider), model: String(p.model) };
  m.requests.inc({ ...labels, outcome: "success" });
  const usage = (p.usage ?? {}) as Record<string, number>;
  for (const [field, kind] of TOKEN_KINDS) if (usage[field]) m.tokens.inc({ ...labels, kind }, usage[field]);
  if (typeof p.costCents === "string") m.cost.inc(labels, Number(p.costCents) / 100);
}

type StepTypes = Map<string, { type: string; startedAt: number }>;

/** What each stored event adds to the counters, labelled with its run's project. */
function count(m: Instruments, e: TraceEvent, project: string, stepTypes: StepTypes) {
  const p = e.payload as Payload;
  switch (e.kind) {
    case "run.finished":
      return m.runs.inc({ project, status: String(p.status) });
    case "step.started":
      if (e.stepId) stepTypes.set(e.stepId, { type: String(p.type), startedAt: Date.parse(e.ts) });
      return;
    case "step.finished":
    case "step.failed":
      return observeStep(m, e, project, stepTypes);
    case "llm.response":
      return countResponse(m, p, project);
    case "retry":
      if ("provider" in p) {
        m.requests.inc({ project, provider: String(p.provider), model: String(p.model), outcome: "error" });
      }
      if (p.willRetry) m.retries.inc();
      return;
    case "cache.hit":
      m.cacheHits.inc({ project });
      return m.requests.inc({ project, provider: String(p.provider), model: String(p.model), outcome: "cache_hit" });
    case "fallback":
      return m.fallbacks.inc();
  }
}

/** A step's duration: its own latency, else since its start (a step this process saw begin). */
function observeStep(m: Instruments, e: TraceEvent, project: string, stepTypes: StepTypes) {
  if (!e.stepId) return;
  const started = stepTypes.get(e.stepId);
  stepTypes.delete(e.stepId);
  const latency = (e.payload as Payload).latencyMs;
  const ms = typeof latency === "number" ? latency : started ? Date.parse(e.ts) - started.startedAt : null;
  if (ms === null) return;
  const status = e.kind === "step.finished" ? "succeeded" : "failed";
  m.steps.observe({ project, node_type: started?.type ?? "unknown", status }, ms / 1000);
}

/**
 * Each run's project name, looked up once per run (while it runs here) and handed to `then` in the
 * order the run's batches arrived: a batch waiting for the lookup keeps its place.
 */
function projectNames(projectOf: (runId: string) => Promise<string | null>) {
  const known = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  const lookUp = (runId: string) =>
    projectOf(runId)
      .catch(() => null)
      .then((name) => {
        if (known.size > 10_000) known.clear();
        known.set(runId, name ?? "unknown");
        pending.delete(runId);
        return name ?? "unknown";
      });
  return {
    with(runId: string, then: (project: string) => void) {
      const name = known.get(runId);
      if (name !== undefined) return then(name);
      const wait = pending.get(runId) ?? lookUp(runId);
      pending.set(runId, wait);
      void wait.then(then);
    },
    forget: (runId: string) => known.delete(runId),
  };
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

/** Events grouped by run, in order. */
function byRun(events: readonly TraceEvent[]): Map<string, TraceEvent[]> {
  const runs = new Map<string, TraceEvent[]>();
  for (const e of events) runs.set(e.runId, [...(runs.get(e.runId) ?? []), e]);
  return runs;
}

export function createMetrics(
  options: {
    defaultMetrics?: boolean;
    queue?: QueueCounts;
    /** A run's project name (the `project` label); "unknown" without it. */
    projectOf?: (runId: string) => Promise<string | null>;
  } = {},
): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) defaultMetrics(registry);
  const m = instruments(registry);
  const running = new Set<string>();
  const stepTypes: StepTypes = new Map();
  const projects = projectNames(options.projectOf ?? (async () => null));
  gauges(registry, running, options.queue ?? null);
  return {
    registry,
    observe(events) {
      for (const [runId, batch] of byRun(events)) {
        const finished = batch.some((e) => e.kind === "run.finished");
        if (finished) running.delete(runId);
        else running.add(runId);
        projects.with(runId, (project) => {
          for (const e of batch) count(m, e, project, stepTypes);
          if (finished) projects.forget(runId);
        });
      }
    },
    spansDropped: (n) => m.dropped.inc(n),
  };
}
