/**
 * Folds a run's trace events into what the run view shows: per-node state (queued, running,
 * succeeded, failed, skipped, cached), attempts, fallbacks and totals. Pure, so it is unit-tested.
 */
export interface TraceEventView {
  seq: number;
  kind: string;
  ts: string;
  stepId: string | null;
  payload: Record<string, unknown>;
}

export type NodeState = "queued" | "running" | "succeeded" | "failed" | "skipped" | "cached" | "canceled";

export interface Attempt {
  provider: string;
  model: string;
  attempt: number;
  ok: boolean;
  error?: string;
  latencyMs?: number;
  partialText?: string | null;
}

export interface StepView {
  stepId: string;
  nodeId: string;
  state: NodeState;
  attempts: Attempt[];
  fallbacks: { from: string; to: string; cause: string }[];
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
  cacheKey?: string | null;
  output?: unknown;
  /** Set when the trace holds only the start of the output: its full length in characters. */
  outputCutAt?: number;
  error?: string;
  latencyMs?: number;
  tokensInput?: number;
  tokensOutput?: number;
  /** Reasoning tokens (part of tokensOutput). */
  tokensReasoning?: number;
  /** "estimated": the provider reported no usage and FlowTrace counted the tokens. */
  usageSource?: "provider" | "estimated";
  costCents?: string | null;
  branch?: unknown;
  events: TraceEventView[];
}

export interface RunView {
  steps: Map<string, StepView>;
  /** stepId → nodeId */
  nodeOf: Map<string, string>;
  retries: number;
  fallbacks: number;
  cacheHits: number;
  /** Sum of savedCostCents over cache hits (display only). */
  cacheSavedCents: number;
  simulated: boolean;
  finished: boolean;
  lastSeq: number;
}

export function emptyRunView(steps: { id: string; nodeId: string; status: string }[] = []): RunView {
  const view: RunView = {
    steps: new Map(),
    nodeOf: new Map(),
    retries: 0,
    fallbacks: 0,
    cacheHits: 0,
    cacheSavedCents: 0,
    simulated: false,
    finished: false,
    lastSeq: 0,
  };
  for (const s of steps) {
    view.nodeOf.set(s.id, s.nodeId);
    view.steps.set(s.nodeId, {
      stepId: s.id,
      nodeId: s.nodeId,
      state: s.status as NodeState,
      attempts: [],
      fallbacks: [],
      events: [],
    });
  }
  return view;
}

const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));

/** Apply one event (in seq order; older or repeated seqs are ignored). Returns the same object mutated. */
export function applyEvent(view: RunView, e: TraceEventView): RunView {
  if (e.seq <= view.lastSeq) return view;
  view.lastSeq = e.seq;
  const p = e.payload;
  if (e.kind === "run.started") view.simulated = p.simulated === true;
  if (e.kind === "run.finished") view.finished = true;
  if (!e.stepId) return view;
  const nodeId = typeof p.nodeId === "string" ? p.nodeId : view.nodeOf.get(e.stepId);
  if (!nodeId) return view;
  view.nodeOf.set(e.stepId, nodeId);
  let step = view.steps.get(nodeId);
  if (!step) {
    step = { stepId: e.stepId, nodeId, state: "queued", attempts: [], fallbacks: [], events: [] };
    view.steps.set(nodeId, step);
  }
  step.events.push(e);
  switch (e.kind) {
    case "step.started":
      step.state = "running";
      break;
    case "llm.request":
      step.request = p;
      step.cacheKey = (p.cacheKey as string | null) ?? null;
      if (p.simulated === true) view.simulated = true;
      break;
    case "llm.response":
      step.response = p;
      step.attempts.push({
        provider: str(p.provider),
        model: str(p.model),
        attempt: Number(p.attempt ?? step.attempts.length + 1),
        ok: true,
        latencyMs: Number(p.latencyMs ?? 0),
      });
      break;
    case "tool.request":
      step.request = p;
      break;
    case "tool.response":
      step.response = p;
      break;
    case "retry":
      view.retries++;
      step.attempts.push({
        provider: str(p.provider ?? p.tool),
        model: str(p.model),
        attempt: Number(p.attempt ?? 0),
        ok: false,
        error: str(p.message),
        latencyMs: Number(p.latencyMs ?? 0),
        partialText: (p.partialText as string | null) ?? null,
      });
      break;
    case "fallback": {
      view.fallbacks++;
      const from = p.from as { provider?: string; model?: string } | undefined;
      const to = p.to as { provider?: string; model?: string } | undefined;
      const cause = p.cause as { kind?: string; message?: string } | undefined;
      step.fallbacks.push({
        from: `${from?.provider}/${from?.model}`,
        to: `${to?.provider}/${to?.model}`,
        cause: cause?.message ?? cause?.kind ?? "",
      });
      break;
    }
    case "cache.hit":
      view.cacheHits++;
      view.cacheSavedCents += Number(p.savedCostCents ?? 0);
      step.cacheKey = str(p.key);
      step.state = "cached";
      break;
    case "router.branch":
      step.branch = p.branch;
      break;
    case "step.finished":
      step.state = p.cached === true ? "cached" : "succeeded";
      step.output = p.output;
      step.outputCutAt = cutLength(p, "output");
      step.latencyMs = Number(p.latencyMs ?? 0);
      step.tokensInput = Number(p.tokensInput ?? 0);
      step.tokensOutput = Number(p.tokensOutput ?? 0);
      step.tokensReasoning = Number(p.tokensReasoning ?? 0);
      step.usageSource = p.usageSource === "estimated" ? "estimated" : "provider";
      step.costCents = (p.costCents as string | null) ?? null;
      break;
    case "step.failed":
      step.state = p.kind === "canceled" ? "canceled" : "failed";
      step.error = str(p.error);
      break;
    case "step.skipped":
      step.state = "skipped";
      break;
  }
  return view;
}

export function buildRunView(
  steps: { id: string; nodeId: string; status: string }[],
  events: TraceEventView[],
): RunView {
  const view = emptyRunView(steps);
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) applyEvent(view, e);
  return view;
}

/** One line for the timeline. */
export function describeEvent(e: TraceEventView, nodeOf: Map<string, string>): string {
  const p = e.payload;
  const node = e.stepId ? (nodeOf.get(e.stepId) ?? "?") : "run";
  switch (e.kind) {
    case "llm.request":
      return `${node}: → ${p.provider}/${p.model} (attempt ${p.attempt})`;
    case "llm.response":
      return `${node}: ← ${p.provider}/${p.model} · ${p.usageSource === "estimated" ? "~" : ""}${(p.usage as { outputTokens?: number })?.outputTokens ?? 0} out tokens${p.usageSource === "estimated" ? " (estimated)" : ""} · ${p.latencyMs} ms`;
    case "retry":
      return `${node}: attempt ${p.attempt} failed (${p.kind ?? "error"})${p.willRetry ? `, retrying in ${p.delayMs} ms` : ""}`;
    case "fallback":
      return `${node}: fallback ${(p.from as { provider?: string })?.provider} → ${(p.to as { provider?: string })?.provider}`;
    case "cache.hit":
      return `${node}: cache hit`;
    case "router.branch":
      return `${node}: branch = ${JSON.stringify(p.branch)}`;
    case "tool.request":
      return `${node}: → ${p.tool}`;
    case "tool.response":
      return `${node}: ← ${p.tool} · ${p.latencyMs} ms`;
    case "step.failed":
      return `${node}: failed — ${p.error}`;
    case "run.finished":
      return `run ${p.status}${p.error ? ` — ${p.error}` : ""}`;
    case "log":
      return `${node}: ${p.level}: ${p.message}`;
    default:
      return `${node}: ${e.kind}`;
  }
}

/** The full length of `field` when the server cut it in this event (`truncated: [{field, originalLength}]`). */
export function cutLength(payload: Record<string, unknown>, field: string): number | undefined {
  const notes = Array.isArray(payload.truncated)
    ? (payload.truncated as { field?: unknown; originalLength?: unknown }[])
    : [];
  const note = notes.find((n) => n?.field === field);
  return note ? Number(note.originalLength ?? 0) : undefined;
}
