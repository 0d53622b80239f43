/**
 * Runs as OpenTelemetry spans, built from the trace events this process stores (the trace contract
 * is the one record of a run; spans are a projection of it). One span per run (`invoke_workflow`),
 * per step (`execute_tool {tool}` for tools, INTERNAL with `flowtrace.step.*` for the rest), and per
 * provider attempt (CLIENT `chat {model}`, GenAI semantic conventions). Ids derive from the run's
 * ids (trace-context.ts), so the processes that execute one run export one trace.
 */
import {
  type Attributes,
  type HrTime,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
} from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace";
import { scrubSecrets } from "../domain/secrets/scrub.ts";
import type { TraceEvent } from "../domain/trace/events.ts";
import { chatAttributes, contentAttributes, type RunInfo, runAttributes } from "./genai-attributes.ts";

export type { RunInfo } from "./genai-attributes.ts";

import type { SpanSink } from "./otel.ts";
import {
  attemptSpanId,
  parseTraceParent,
  runSpanId,
  runTraceId,
  stepSpanId,
  type TraceParent,
} from "./trace-context.ts";

export interface ProjectorOptions {
  loadRun(runId: string): Promise<RunInfo | null>;
  captureContent: boolean;
  /** The host a provider's calls go to (server.address). */
  serverAddress(provider: string): string | undefined;
  secrets: readonly string[];
}

interface OpenStep {
  startTs: string;
  nodeId: string;
  type: string;
  attributes: Attributes;
  events: TimedEvent[];
}

interface RunState {
  info: RunInfo;
  traceId: string;
  parent: TraceParent | null;
  sampled: boolean;
  firstTs: string;
  steps: Map<string, OpenStep>;
  requests: Map<string, TraceEvent>;
  /** An agent's tool calls in flight, by call id (each becomes an `execute_tool` span). */
  toolCalls: Map<string, TraceEvent>;
}

const hr = (iso: string | number): HrTime => {
  const ms = typeof iso === "number" ? iso : Date.parse(iso);
  return [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
};
const minus = (a: HrTime, b: HrTime): HrTime => {
  const ns = (a[0] - b[0]) * 1e9 + (a[1] - b[1]);
  return ns <= 0 ? [0, 0] : [Math.floor(ns / 1e9), ns % 1e9];
};

type P = Record<string, unknown>;

/** Runs whose spans are being assembled at once, at most (the oldest is forgotten first). */
const MAX_OPEN_RUNS = 10_000;

export class SpanProjector {
  private readonly runs = new Map<string, Promise<RunState | null>>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: SpanSink,
    private readonly options: ProjectorOptions,
  ) {}

  /** Called with each batch the recorder stored; never throws, never waits the caller. */
  observe(events: readonly TraceEvent[]): void {
    this.chain = this.chain.then(() => this.project(events)).catch(() => undefined);
  }

  /** Wait until every observed batch became spans (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async project(events: readonly TraceEvent[]) {
    for (const e of events) {
      const state = await this.state(e);
      if (state?.sampled) this.handle(state, e);
      if (e.kind === "run.finished") this.runs.delete(e.runId);
    }
  }

  private state(e: TraceEvent): Promise<RunState | null> {
    let state = this.runs.get(e.runId);
    if (!state) {
      state = this.open(e);
      this.runs.set(e.runId, state);
      // Runs this process stops seeing (parked for approval, handed off) never finish here: keep a bounded few.
      if (this.runs.size > MAX_OPEN_RUNS) this.runs.delete(this.runs.keys().next().value as string);
    }
    return state;
  }

  private async open(e: TraceEvent): Promise<RunState | null> {
    const info = await this.options.loadRun(e.runId).catch(() => null);
    if (!info) return null;
    const parent = parseTraceParent(info.traceParent);
    const traceId = runTraceId(e.runId, parent);
    const sampled = this.sink.sampled(traceId, parent, `invoke_workflow ${info.workflowName}`);
    return {
      info,
      traceId,
      parent,
      sampled,
      firstTs: e.ts,
      steps: new Map(),
      requests: new Map(),
      toolCalls: new Map(),
    };
  }

  private handle(run: RunState, e: TraceEvent) {
    const p = e.payload as P;
    const step = e.stepId ? run.steps.get(e.stepId) : undefined;
    switch (e.kind) {
      case "step.started":
        if (e.stepId)
          run.steps.set(e.stepId, {
            startTs: e.ts,
            nodeId: String(p.nodeId),
            type: String(p.type),
            attributes: {},
            events: [],
          });
        return;
      case "llm.request":
        if (e.stepId) run.requests.set(e.stepId, e);
        // A model call of a loop: the step is an agent's (`invoke_agent`).
        if (step && typeof p.iteration === "number") step.attributes["gen_ai.agent.name"] = step.nodeId;
        return;
      case "llm.response":
      case "retry":
        return this.attempt(run, e, step);
      case "fallback":
        return void step?.events.push(
          this.event("fallback", e.ts, {
            "flowtrace.fallback.from": `${(p.from as P).provider}/${(p.from as P).model}`,
            "flowtrace.fallback.to": `${(p.to as P).provider}/${(p.to as P).model}`,
            "error.type": String((p.cause as P).kind),
          }),
        );
      case "cache.hit":
        if (step)
          Object.assign(step.attributes, { "flowtrace.cache.hit": true, "gen_ai.request.model": String(p.model) });
        return;
      case "router.branch":
        if (step) step.attributes["flowtrace.step.branch"] = JSON.stringify(p.branch);
        return;
      case "tool.request":
        if (typeof p.toolCallId === "string") run.toolCalls.set(p.toolCallId, e);
        else if (step) step.attributes["gen_ai.tool.name"] = String(p.tool);
        return;
      case "tool.response":
        if (typeof p.toolCallId === "string") this.toolCall(run, e);
        return;
      case "approval.resolved":
        if (step)
          Object.assign(step.attributes, {
            "flowtrace.step.decision": String(p.decision),
            "flowtrace.step.decided_by": String(p.decidedBy),
          });
        return;
      case "step.reused":
        return this.reused(run, e);
      case "step.finished":
      case "step.failed":
        return this.endStep(run, e, step);
      case "run.finished":
        return this.endRun(run, e);
    }
  }

  private event(name: string, ts: string, attributes: Attributes): TimedEvent {
    return { name, time: hr(ts), attributes, droppedAttributesCount: 0 };
  }

  private context(run: RunState, spanId: string): SpanContext {
    return { traceId: run.traceId, spanId, traceFlags: TraceFlags.SAMPLED };
  }

  private emit(
    span: Omit<
      ReadableSpan,
      | "resource"
      | "instrumentationScope"
      | "duration"
      | "ended"
      | "droppedAttributesCount"
      | "droppedEventsCount"
      | "droppedLinksCount"
      | "links"
    >,
  ) {
    this.sink.submit({
      ...span,
      links: [],
      duration: minus(span.endTime, span.startTime),
      ended: true,
      resource: this.sink.resource,
      instrumentationScope: { name: "flowtrace" },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }

  /** A provider attempt: answered (llm.response) or failed (an LLM retry event, retried or not). */
  private attempt(run: RunState, e: TraceEvent, step: OpenStep | undefined) {
    const p = e.payload as P;
    if (!("provider" in p) || !e.stepId) return; // a tool's retry: an event on the step only
    const request = run.requests.get(e.stepId);
    run.requests.delete(e.stepId);
    const end = hr(e.ts);
    const start = request ? hr(request.ts) : hr(Date.parse(e.ts) - Number(p.latencyMs ?? 0));
    const failed = e.kind === "retry";
    if (failed && step && p.willRetry)
      step.events.push(
        this.event("retry", e.ts, { "flowtrace.attempt": Number(p.attempt), "error.type": String(p.kind) }),
      );
    const attributes = {
      ...chatAttributes(request?.payload as P | undefined, p, failed, this.options.serverAddress(String(p.provider))),
      ...(this.options.captureContent
        ? contentAttributes(request?.payload as P | undefined, p, this.options.secrets)
        : {}),
    };
    this.emit({
      name: `chat ${String(p.model)}`,
      kind: SpanKind.CLIENT,
      spanContext: () => this.context(run, attemptSpanId(e.runId, request?.seq ?? e.seq)),
      parentSpanContext: this.context(run, stepSpanId(e.stepId)),
      startTime: start,
      endTime: end,
      attributes,
      events: [],
      status: failed
        ? { code: SpanStatusCode.ERROR, message: scrubSecrets(String(p.message ?? ""), this.options.secrets) }
        : { code: SpanStatusCode.UNSET },
    });
  }

  /** An agent's tool call: an `execute_tool` span under its step, from its request to its result. */
  private toolCall(run: RunState, e: TraceEvent) {
    const p = e.payload as P;
    const id = String(p.toolCallId);
    const request = run.toolCalls.get(id);
    run.toolCalls.delete(id);
    if (!e.stepId) return;
    const failed = p.isError === true;
    this.emit({
      name: `execute_tool ${String(p.tool)}`,
      kind: SpanKind.INTERNAL,
      spanContext: () => this.context(run, attemptSpanId(e.runId, request?.seq ?? e.seq)),
      parentSpanContext: this.context(run, stepSpanId(e.stepId)),
      startTime: request ? hr(request.ts) : hr(Date.parse(e.ts) - Number(p.latencyMs ?? 0)),
      endTime: hr(e.ts),
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": String(p.tool),
        "gen_ai.tool.call.id": id,
        ...(typeof p.iteration === "number" ? { "flowtrace.agent.iteration": p.iteration } : {}),
        ...(failed ? { "error.type": "tool_error" } : {}),
      },
      events: [],
      status: failed ? { code: SpanStatusCode.ERROR, message: "the tool call failed" } : { code: SpanStatusCode.UNSET },
    });
  }

  private reused(run: RunState, e: TraceEvent) {
    const p = e.payload as P;
    if (!e.stepId) return;
    this.emit({
      name: `reuse ${String(p.nodeId)}`,
      kind: SpanKind.INTERNAL,
      spanContext: () => this.context(run, stepSpanId(e.stepId as string)),
      parentSpanContext: this.context(run, runSpanId(e.runId)),
      startTime: hr(e.ts),
      endTime: hr(e.ts),
      attributes: {
        "flowtrace.step.node_id": String(p.nodeId),
        "flowtrace.step.reused": true,
        "flowtrace.step.source_step_id": String(p.sourceStepId),
        "flowtrace.step.source_run_id": String(p.sourceRunId),
      },
      events: [],
      status: { code: SpanStatusCode.UNSET },
    });
  }

  private endStep(run: RunState, e: TraceEvent, step: OpenStep | undefined) {
    const p = e.payload as P;
    if (!e.stepId) return;
    run.steps.delete(e.stepId);
    const failed = e.kind === "step.failed";
    const startTs =
      step?.startTs ??
      (typeof p.latencyMs === "number" ? new Date(Date.parse(e.ts) - p.latencyMs).toISOString() : e.ts);
    const tool = step?.attributes["gen_ai.tool.name"];
    const agent = step?.attributes["gen_ai.agent.name"];
    const attributes: Attributes = {
      ...step?.attributes,
      "flowtrace.step.id": e.stepId,
      "flowtrace.step.node_id": String(p.nodeId),
      "flowtrace.step.type": step?.type ?? "unknown",
      "flowtrace.step.status": failed ? "failed" : "succeeded",
      ...(tool ? { "gen_ai.operation.name": "execute_tool" } : {}),
      ...(agent ? { "gen_ai.operation.name": "invoke_agent" } : {}),
      ...(typeof p.tokensInput === "number"
        ? { "flowtrace.step.tokens.input": p.tokensInput, "flowtrace.step.tokens.output": Number(p.tokensOutput) }
        : {}),
      ...(typeof p.costCents === "string" ? { "flowtrace.cost.usd": Number(p.costCents) / 100 } : {}),
      ...(failed ? { "error.type": String(p.kind) } : {}),
    };
    this.emit({
      name: agent
        ? `invoke_agent ${String(p.nodeId)}`
        : tool
          ? `execute_tool ${String(tool)}`
          : `${step?.type ?? "step"} ${String(p.nodeId)}`,
      kind: SpanKind.INTERNAL,
      spanContext: () => this.context(run, stepSpanId(e.stepId as string)),
      parentSpanContext: this.context(run, runSpanId(e.runId)),
      startTime: hr(startTs),
      endTime: hr(e.ts),
      attributes,
      events: step?.events ?? [],
      status: failed
        ? { code: SpanStatusCode.ERROR, message: scrubSecrets(String(p.error), this.options.secrets) }
        : { code: SpanStatusCode.UNSET },
    });
  }

  private endRun(run: RunState, e: TraceEvent) {
    const p = e.payload as P;
    const failed = p.status !== "succeeded";
    const start = run.info.startedAt?.toISOString() ?? run.firstTs;
    this.emit({
      name: `invoke_workflow ${run.info.workflowName}`,
      kind: SpanKind.INTERNAL,
      spanContext: () => this.context(run, runSpanId(e.runId)),
      ...(run.parent
        ? {
            parentSpanContext: {
              traceId: run.traceId,
              spanId: run.parent.spanId,
              traceFlags: run.parent.flags,
              isRemote: true,
            },
          }
        : {}),
      startTime: hr(start),
      endTime: hr(e.ts),
      attributes: runAttributes(e.runId, run.info, p),
      events: [],
      status: failed
        ? { code: SpanStatusCode.ERROR, message: scrubSecrets(String(p.error ?? p.status), this.options.secrets) }
        : { code: SpanStatusCode.UNSET },
    });
  }
}
