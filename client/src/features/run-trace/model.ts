/**
 * The run view's events and fold: the fold itself is shared with the CLI
 * (`@flowtrace/contract/fold`); here the GraphQL event becomes a fold event, and each event gets its
 * line for the timeline.
 */

import { type FoldEvent, known } from "@flowtrace/contract/fold";
import type { ResultOf } from "@graphql-typed-document-node/core";
import type { RunEventsSubscription } from "./documents.ts";

export * from "@flowtrace/contract/fold";

/** An event as the runEvents subscription delivers it (its fields are the server's TraceEvent). */
type StreamedEvent = ResultOf<typeof RunEventsSubscription>["runEvents"];

/** The same event with its payload as an object (JSON is `unknown` on the wire). */
export type TraceEventView = FoldEvent;

export function toEventView(e: StreamedEvent): TraceEventView {
  const payload = e.payload && typeof e.payload === "object" && !Array.isArray(e.payload) ? e.payload : {};
  return { ...e, payload: payload as Record<string, unknown> };
}

/** The `default` of an exhaustive switch: compile error for an unhandled kind, no-op at run time. */
function otherKind(_e: never): void {}

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
    case "agent.finished":
      return `${node}: agent ${e.payload.stopReason} after ${e.payload.iterations} model call(s) and ${e.payload.toolCalls} tool call(s)`;
    case "replay.miss":
      return `${node}: replay miss (${e.payload.diff.length} difference${e.payload.diff.length === 1 ? "" : "s"})`;
    default:
      otherKind(e);
      return `${node}: ${raw.kind}`;
  }
}
