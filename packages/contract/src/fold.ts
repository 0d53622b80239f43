/**
 * The fold of a run's trace events into what the dashboard's run view and the CLI's summary show:
 * per-node state (queued, running, waiting, succeeded, failed, skipped, cached, reused, canceled),
 * attempts, fallbacks, the request and answer, tokens, cost and latency, and the run's counters.
 * Pure, one event at a time, in seq order (older or repeated seqs are ignored); an event of a kind
 * only a newer server knows is skipped. Used by client/src/features/run-trace and server/src/cli.
 */
import type { StoredPayload, TraceEventKind } from "./trace.ts";

/** An event as every reader receives it (GraphQL, SSE, the CLI): the payload as an object. */
export interface FoldEvent {
  seq: number;
  ts: string;
  kind: string;
  stepId: string | null;
  payload: Record<string, unknown>;
}

/** Payloads by kind, as stored (a value over 64 KiB may be cut and listed in `truncated`). */
export type TracePayloads = { [K in TraceEventKind]: StoredPayload<K> };

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
  /** The node's kind, from `step.started` (absent for a step that never started here). */
  nodeType?: string;
  /** A replay answered its call from the recording. */
  replayed?: boolean;
  /** An agent step's loop summary (`agent.finished`). */
  agent?: StoredPayload<"agent.finished">;
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
    /** The approval's id (absent in traces from before it was recorded). */
    approvalId?: string;
    /** An agent's approval: its tool call (tool, arguments) or its budget (spent, limit). */
    kind?: "tool" | "budget";
    tool?: string;
    args?: unknown;
    spentCents?: string;
    limitCents?: string;
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
  events: FoldEvent[];
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

type Kind = TraceEventKind;
/** A trace event of a kind this dashboard knows, its payload typed by the generated contract. */
export type KnownEvent = {
  [K in Kind]: Omit<FoldEvent, "kind" | "payload"> & { kind: K; payload: TracePayloads[K] };
}[Kind];

/**
 * The event as the contract types it. Only its `kind` decides what is read, so an event of a kind
 * only a newer server knows falls through every `switch` untouched.
 */
export const known = (e: FoldEvent) => e as unknown as KnownEvent;

/** The `default` of an exhaustive switch: compile error for an unhandled kind, no-op at run time. */
function otherKind(_e: never): void {}

function stepOf(view: RunView, e: FoldEvent): StepView | null {
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
export function applyEvent(view: RunView, raw: FoldEvent): RunView {
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
      step.nodeType = e.payload.type;
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
      step.replayed = true;
      break;
    case "agent.finished":
      step.agent = e.payload;
      break;
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
  const { message, inputs, deadline, approvalId, kind, tool, args, spentCents, limitCents } = p;
  step.approval = {
    message,
    inputs,
    deadline,
    approvalId,
    ...(kind ? { kind } : {}),
    ...(tool !== undefined ? { tool, args } : {}),
    ...(spentCents !== undefined ? { spentCents, limitCents } : {}),
  };
}

function resolveApproval(step: StepView, p: TracePayloads["approval.resolved"]) {
  step.state = "running";
  step.approval = {
    ...(step.approval ?? { message: "", inputs: {}, deadline: null }),
    decision: p.decision,
    decidedBy: p.decidedBy,
    comment: p.comment,
  };
  // An approval node decides a branch; an agent's tool or budget approval does not.
  if (!step.approval.kind) step.branch = p.decision;
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

export function buildRunView(steps: { id: string; nodeId: string; status: string }[], events: FoldEvent[]): RunView {
  const view = emptyRunView(steps);
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) applyEvent(view, e);
  return view;
}

/** The full length of `field` when the server cut it in this event (`truncated: [{field, originalLength}]`). */
export function cutLength(payload: object, field: string): number | undefined {
  const truncated = (payload as { truncated?: unknown }).truncated;
  const notes = Array.isArray(truncated) ? (truncated as { field?: unknown; originalLength?: unknown }[]) : [];
  const note = notes.find((n) => n?.field === field);
  return note ? Number(note.originalLength ?? 0) : undefined;
}
