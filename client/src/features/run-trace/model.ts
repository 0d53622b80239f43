/**
 * Folds a run's trace events into what the run view shows: per-node state (queued, running,
 * succeeded, failed, skipped, cached), attempts, fallbacks and totals. Pure, so it is unit-tested.
 */
import type { ResultOf } from "@graphql-typed-document-node/core";
import type { TracePayloads } from "../../generated/trace-events.ts";
import type { RunEventsSubscription } from "./documents.ts";

/** An event as the runEvents subscription delivers it (its fields are the server's TraceEvent). */
type StreamedEvent = ResultOf<typeof RunEventsSubscription>["runEvents"];

/** The same event with its payload as an object (JSON is `unknown` on the wire). */
export type TraceEventView = Omit<StreamedEvent, "payload"> & { payload: Record<string, unknown> };

export function toEventView(e: StreamedEvent): TraceEventView {
  const payload = e.payload && typeof e.payload === "object" && !Array.isArray(e.payload) ? e.payload : {};
  return { ...e, payload: payload as Record<string, unknown> };
}

export type NodeState =
  | "queued"
  | "running"
  | "waiting"
  | "succeeded"
  | "failed"
  | "skipped"
  | "cached"
  | "reused"
  | "canceled";

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
  /** An approval step: what it asks, and once decided, the decision. */
  approval?: {
    message: string;
    inputs: Record<string, unknown>;
    deadline: string | null;
    decision?: "approved" | "rejected" | "timed_out";
    decidedBy?: string;
    comment?: string | null;
  };
  /** Indexes (in the document's edges) of the outbound edges this step took. */
  activeEdges?: number[];
  /** The answer's cost split by token class at the prices used (events from before it: absent). */
  costBreakdown?: TracePayloads["llm.response"]["costBreakdown"];
  /** A re-run took this step from its parent run: no call was made. */
  reusedFrom?: { runId: string; stepId: string; savedCostCents: string | null };
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

type Kind = keyof TracePayloads;
/** A trace event of a kind this dashboard knows, its payload typed by the generated contract. */
export type KnownEvent = {
  [K in Kind]: Omit<TraceEventView, "kind" | "payload"> & { kind: K; payload: TracePayloads[K] };
}[Kind];

/**
 * The event as the contract types it. Only its `kind` decides what is read, so an event of a kind
 * only a newer server knows falls through every `switch` untouched.
 */
export const known = (e: TraceEventView) => e as unknown as KnownEvent;

/** The `default` of an exhaustive switch: compile error for an unhandled kind, no-op at run time. */
function otherKind(_e: never): void {}

function stepOf(view: RunView, e: TraceEventView): StepView | null {
  if (!e.stepId) return null;
  const nodeId = typeof e.payload.nodeId === "string" ? e.payload.nodeId : view.nodeOf.get(e.stepId);
  if (!nodeId) return null;
  view.nodeOf.set(e.stepId, nodeId);
  let step = view.steps.get(nodeId);
  if (!step) {
    step = { stepId: e.stepId, nodeId, state: "queued", attempts: [], fallbacks: [], events: [] };
    view.steps.set(nodeId, step);
  }
  step.events.push(e);
  return step;
}

/** Apply one event (in seq order; older or repeated seqs are ignored). Returns the same object mutated. */
export function applyEvent(view: RunView, raw: TraceEventView): RunView {
  if (raw.seq <= view.lastSeq) return view;
  view.lastSeq = raw.seq;
  const e = known(raw);
  if (e.kind === "run.started") view.simulated = e.payload.simulated === true;
  if (e.kind === "run.finished") view.finished = true;
  const step = stepOf(view, raw);
  if (step) applyStepEvent(view, step, e);
  return view;
}

type CallKind = "llm.request" | "llm.response" | "tool.request" | "tool.response" | "retry" | "fallback" | "cache.hit";
type CallEvent = Extract<KnownEvent, { kind: CallKind }>;

function applyStepEvent(view: RunView, step: StepView, e: KnownEvent) {
  switch (e.kind) {
    case "llm.request":
    case "llm.response":
    case "tool.request":
    case "tool.response":
    case "retry":
    case "fallback":
    case "cache.hit":
      applyCallEvent(view, step, e);
      break;
    case "step.started":
      step.state = "running";
      break;
    case "router.branch":
      step.branch = e.payload.branch;
      break;
    case "step.finished":
      finishStep(step, e.payload);
      break;
    case "step.reused":
      reuseStep(step, e.payload);
      break;
    case "replay.miss":
      step.error = `replay miss at ${e.payload.diff.map((d) => d.path || "(request)").join(", ") || "(no recorded request)"}`;
      break;
    case "approval.requested":
      requestApproval(step, e.payload);
      break;
    case "approval.resolved":
      resolveApproval(step, e.payload);
      break;
    case "step.failed":
      step.state = e.payload.kind === "canceled" ? "canceled" : "failed";
      step.error = e.payload.error;
      break;
    case "step.skipped":
      step.state = "skipped";
      break;
    case "replay.hit":
    case "run.started":
    case "run.finished":
    case "log":
      break;
    default:
      otherKind(e);
  }
}

/** A provider or tool call: its request, answer, failed attempts, fallbacks and cache hits. */
function applyCallEvent(view: RunView, step: StepView, e: CallEvent) {
  switch (e.kind) {
    case "llm.request":
      step.request = e.payload;
      step.cacheKey = e.payload.cacheKey ?? null;
      if (e.payload.simulated === true) view.simulated = true;
      break;
    case "llm.response":
      step.response = e.payload;
      step.costBreakdown = e.payload.costBreakdown;
      step.attempts.push(answeredAttempt(e.payload, step.attempts.length + 1));
      break;
    case "tool.request":
      step.request = e.payload;
      break;
    case "tool.response":
      step.response = e.payload;
      break;
    case "retry":
      view.retries++;
      step.attempts.push(failedAttempt(e.payload));
      break;
    case "fallback":
      view.fallbacks++;
      step.fallbacks.push(fallbackOf(e.payload));
      break;
    case "cache.hit":
      view.cacheHits++;
      view.cacheSavedCents += Number(e.payload.savedCostCents ?? 0);
      step.cacheKey = e.payload.key;
      step.state = "cached";
      break;
  }
}

function answeredAttempt(p: TracePayloads["llm.response"], next: number): Attempt {
  return { provider: p.provider, model: p.model, attempt: p.attempt ?? next, ok: true, latencyMs: p.latencyMs ?? 0 };
}

function fallbackOf(p: TracePayloads["fallback"]) {
  return {
    from: `${p.from.provider}/${p.from.model}`,
    to: `${p.to.provider}/${p.to.model}`,
    cause: p.cause.message || p.cause.kind,
  };
}

function requestApproval(step: StepView, p: TracePayloads["approval.requested"]) {
  step.state = "waiting";
  step.approval = { message: p.message, inputs: p.inputs, deadline: p.deadline };
}

function resolveApproval(step: StepView, p: TracePayloads["approval.resolved"]) {
  step.state = "running";
  step.approval = {
    ...(step.approval ?? { message: "", inputs: {}, deadline: null }),
    decision: p.decision,
    decidedBy: p.decidedBy,
    comment: p.comment,
  };
  step.branch = p.decision;
}

function failedAttempt(p: TracePayloads["retry"]): Attempt {
  const llm = "provider" in p ? p : null;
  return {
    provider: llm ? llm.provider : "tool" in p ? p.tool : "",
    model: llm?.model ?? "",
    attempt: p.attempt ?? 0,
    ok: false,
    error: str(p.message),
    latencyMs: llm?.latencyMs ?? 0,
    partialText: llm?.partialText ?? null,
  };
}

function finishStep(step: StepView, p: TracePayloads["step.finished"]) {
  step.state = p.cached === true ? "cached" : "succeeded";
  step.output = p.output;
  step.outputCutAt = cutLength(p, "output");
  step.latencyMs = p.latencyMs ?? 0;
  step.tokensInput = p.tokensInput ?? 0;
  step.tokensOutput = p.tokensOutput ?? 0;
  step.tokensReasoning = p.tokensReasoning ?? 0;
  step.usageSource = p.usageSource === "estimated" ? "estimated" : "provider";
  step.costCents = p.costCents ?? null;
  step.activeEdges = p.activeEdges;
}

function reuseStep(step: StepView, p: TracePayloads["step.reused"]) {
  step.state = "reused";
  step.output = p.output;
  step.outputCutAt = cutLength(p, "output");
  step.tokensInput = 0;
  step.tokensOutput = 0;
  step.costCents = "0";
  step.activeEdges = p.activeEdges;
  step.reusedFrom = { runId: p.sourceRunId, stepId: p.sourceStepId, savedCostCents: p.savedCostCents };
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
export function describeEvent(raw: TraceEventView, nodeOf: Map<string, string>): string {
  const node = raw.stepId ? (nodeOf.get(raw.stepId) ?? "?") : "run";
  const e = known(raw);
  switch (e.kind) {
    case "llm.request":
      return `${node}: → ${e.payload.provider}/${e.payload.model} (attempt ${e.payload.attempt})`;
    case "llm.response": {
      const p = e.payload;
      const approx = p.usageSource === "estimated";
      return `${node}: ← ${p.provider}/${p.model} · ${approx ? "~" : ""}${p.usage?.outputTokens ?? 0} out tokens${approx ? " (estimated)" : ""} · ${p.latencyMs} ms`;
    }
    case "retry":
      return `${node}: attempt ${e.payload.attempt} failed (${"kind" in e.payload ? e.payload.kind : "error"})${e.payload.willRetry ? `, retrying in ${e.payload.delayMs} ms` : ""}`;
    case "fallback":
      return `${node}: fallback ${e.payload.from?.provider} → ${e.payload.to?.provider}`;
    case "cache.hit":
      return `${node}: cache hit`;
    case "router.branch":
      return `${node}: branch = ${JSON.stringify(e.payload.branch)}`;
    case "tool.request":
      return `${node}: → ${e.payload.tool}`;
    case "tool.response":
      return `${node}: ← ${e.payload.tool} · ${e.payload.latencyMs} ms`;
    case "step.failed":
      return `${node}: failed — ${e.payload.error}`;
    case "run.finished":
      return `run ${e.payload.status}${e.payload.error ? ` — ${e.payload.error}` : ""}`;
    case "log":
      return `${node}: ${e.payload.level}: ${e.payload.message}`;
    case "run.started":
    case "step.started":
    case "step.finished":
    case "step.skipped":
      return `${node}: ${e.kind}`;
    case "step.reused":
      return `${node}: reused from run ${e.payload.sourceRunId.slice(0, 8)}`;
    case "replay.hit":
      return `${node}: ${e.payload.kind} answer replayed from run ${e.payload.sourceRunId.slice(0, 8)}`;
    case "approval.requested":
      return `${node}: waiting for approval — ${e.payload.message}`;
    case "approval.resolved":
      return `${node}: ${e.payload.decision} by ${e.payload.decidedBy}${e.payload.comment ? ` — “${e.payload.comment}”` : ""}`;
    case "replay.miss":
      return `${node}: replay miss (${e.payload.diff.length} difference${e.payload.diff.length === 1 ? "" : "s"})`;
    default:
      otherKind(e);
      return `${node}: ${raw.kind}`;
  }
}

/** The full length of `field` when the server cut it in this event (`truncated: [{field, originalLength}]`). */
export function cutLength(payload: object, field: string): number | undefined {
  const truncated = (payload as { truncated?: unknown }).truncated;
  const notes = Array.isArray(truncated) ? (truncated as { field?: unknown; originalLength?: unknown }[]) : [];
  const note = notes.find((n) => n?.field === field);
  return note ? Number(note.originalLength ?? 0) : undefined;
}
