/**
 * Terminal rendering of a run's trace: a line per step as it finishes, retries and fallbacks as they
 * happen, and a summary table. What each step is (status, tokens, cost, latency) comes from the
 * shared fold (`@flowtrace/contract/fold`, the dashboard's too); this file only prints it.
 */
import { applyEvent, emptyRunView, type FoldEvent, type StepView } from "@flowtrace/contract/fold";
import { otherKind, type TraceEventBody } from "../domain/trace/events.ts";
import type { StoredPayload } from "../domain/trace/payloads.ts";

export interface RenderOptions {
  color: boolean;
  write: (line: string) => void;
}

const codes = { green: 32, red: 31, yellow: 33, cyan: 36, magenta: 35, dim: 2, bold: 1 } as const;

export function formatUsd(cents: string | null | undefined): string {
  if (cents === null || cents === undefined) return "unpriced";
  const usd = Number(cents) / 100;
  if (usd === 0) return "$0";
  const digits = Math.min(12, Math.max(4, Math.ceil(-Math.log10(Math.abs(usd))) + 2));
  return `$${usd.toFixed(digits)}`;
}

/** A roll-up's cost: a lower bound, saying how many steps it leaves out, when some step has no price. */
export function formatTotalUsd(cents: string, costComplete: boolean, unpricedSteps: number, estimated = false): string {
  const figure = `${estimated ? "~" : ""}${formatUsd(cents)}`;
  if (costComplete) return figure;
  return `≥ ${figure} (${unpricedSteps} step${unpricedSteps === 1 ? "" : "s"} unpriced)`;
}

/** `~` marks what FlowTrace counted itself because the provider reported no usage. */
const approx = (estimated: boolean) => (estimated ? "~" : "");

const ms = (v: unknown) => (typeof v === "number" ? (v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(2)} s`) : "—");

/** What the summary says about a step besides its figures: the last thing that happened to it. */
function noteOf(s: StepView): string {
  if (s.error) return s.error;
  if (s.reusedFrom)
    return `from run ${s.reusedFrom.runId.slice(0, 8)} (saved ${formatUsd(s.reusedFrom.savedCostCents)})`;
  if (s.approval?.decision) return `${s.approval.decision} by ${s.approval.decidedBy}`;
  if (s.branch !== undefined) return `branch ${JSON.stringify(s.branch)}`;
  if (s.state === "cached") return "cache hit";
  return s.replayed ? "replayed" : "";
}

const estimatedStep = (s: StepView) => s.usageSource === "estimated";
const provider = (s: StepView) =>
  typeof s.request?.provider === "string" ? `${s.request.provider}/${String(s.request.model)}` : "";

/** Feeds on trace events in seq order; returns the final status when run.finished arrives. */
export class RunRenderer {
  private readonly view = emptyRunView();
  finalStatus: string | null = null;
  finalError: string | null = null;
  /** The approval the run is waiting at, until it is resolved (the CLI asks for a decision). */
  waiting: { nodeId: string; message: string } | null = null;
  totals = { tokens: 0, cost: "0", latency: 0, costComplete: true, unpricedSteps: 0 };

  constructor(private readonly o: RenderOptions) {}

  private c(color: keyof typeof codes, text: string) {
    return this.o.color ? `\u001b[${codes[color]}m${text}\u001b[0m` : text;
  }

  private step(stepId: string | null): StepView | undefined {
    const nodeId = stepId ? this.view.nodeOf.get(stepId) : undefined;
    return nodeId ? this.view.steps.get(nodeId) : undefined;
  }

  handle(e: TraceEventBody) {
    applyEvent(this.view, e as unknown as FoldEvent);
    const s = this.step(e.stepId);
    const name = s ? this.c("bold", s.nodeId) : "";
    switch (e.kind) {
      case "run.started":
        return void this.runStarted(e.payload);
      case "retry":
        return void this.retried(name, e.payload);
      case "fallback":
        return void this.fellBack(name, e.payload);
      case "cache.hit":
        this.line("green", "⚡", `${name}: cache hit (saved ${formatUsd(e.payload.savedCostCents)})`);
        break;
      case "router.branch":
        this.line("cyan", "⤳", `${name}: branch = ${JSON.stringify(e.payload.branch)}`);
        break;
      case "log":
        if (e.payload.level === "warn") this.line("yellow", "!", e.payload.message);
        break;
      case "step.finished":
        if (s) this.stepFinished(s, name);
        break;
      case "step.reused":
        this.o.write(
          `${this.c("cyan", "↺")} ${name} reused from run ${e.payload.sourceRunId.slice(0, 8)} · no call · $0`,
        );
        break;
      case "replay.miss":
        return void this.replayMiss(name, e.payload);
      case "approval.requested":
        return void this.approvalRequested(name, e.payload);
      case "approval.resolved":
        return void this.approvalResolved(name, e.payload);
      case "step.failed":
        if (s) this.o.write(`${this.c("red", "✗")} ${name} ${s.state}: ${e.payload.error}`);
        break;
      case "step.skipped":
        this.o.write(`${this.c("dim", "–")} ${name} skipped (no active inbound edge)`);
        break;
      case "run.finished":
        return void this.runFinished(e.payload);
      case "agent.finished":
        return void this.agentFinished(name, e.payload);
      case "step.started":
      case "llm.request":
      case "llm.response":
      case "tool.request":
      case "tool.response":
      case "replay.hit":
        break;
      default:
        otherKind(e);
    }
  }

  private agentFinished(name: string, p: { iterations: number; toolCalls: number }) {
    this.line("cyan", "↻", `${name}: ${p.iterations} model call(s), ${p.toolCalls} tool call(s)`);
  }

  /** An indented line with a coloured mark. */
  private line(color: keyof typeof codes, mark: string, text: string) {
    this.o.write(`  ${this.c(color, mark)} ${text}`);
  }

  private runStarted(p: StoredPayload<"run.started">) {
    const simulated = p.simulated ? this.c("magenta", " · simulated providers") : "";
    this.o.write(`${this.c("cyan", "▶")} run started · ${p.nodes.length} nodes${simulated}`);
  }

  private retried(name: string, p: StoredPayload<"retry">) {
    const next = p.willRetry ? `; retrying in ${p.delayMs} ms` : "";
    this.line("yellow", "↻", `${name}: attempt ${p.attempt} failed — ${p.message}${next}`);
  }

  private fellBack(name: string, { from, to }: StoredPayload<"fallback">) {
    this.line("magenta", "⇢", `${name}: fallback ${from.provider}/${from.model} → ${to.provider}/${to.model}`);
  }

  private stepFinished(s: StepView, name: string) {
    const est = estimatedStep(s);
    const e = approx(est);
    const via = provider(s);
    this.o.write(
      `${this.c("green", "✓")} ${name} ${this.c("dim", s.nodeType ?? "")}${via ? ` ${via}` : ""} · ${e}${s.tokensInput ?? 0}→${e}${s.tokensOutput ?? 0} tok · ${e}${formatUsd(s.costCents)}${est ? this.c("yellow", " (estimated)") : ""} · ${ms(s.latencyMs)}`,
    );
  }

  private replayMiss(name: string, p: StoredPayload<"replay.miss">) {
    const paths = p.diff.map((d) => d.path || "(request)").join(", ");
    this.line("red", "≠", `${name}: replay miss — differs at ${paths || "(no recorded request)"}`);
  }

  private approvalRequested(name: string, p: StoredPayload<"approval.requested">) {
    const deadline = p.deadline ? ` (until ${p.deadline}, then ${p.onTimeout})` : "";
    this.o.write(`${this.c("yellow", "⏸")} ${name} waiting for approval${deadline}: ${p.message}`);
    this.waiting = { nodeId: p.nodeId, message: p.message };
  }

  private approvalResolved(name: string, p: StoredPayload<"approval.resolved">) {
    const comment = p.comment ? ` — "${p.comment}"` : "";
    this.line("cyan", "⏵", `${name}: ${p.decision} by ${p.decidedBy}${comment}`);
    this.waiting = null;
  }

  private runFinished(p: StoredPayload<"run.finished">) {
    this.finalStatus = p.status;
    this.finalError = p.error;
    this.totals = {
      tokens: p.totalTokens,
      cost: p.totalCostCents,
      latency: p.totalLatencyMs,
      costComplete: p.costComplete !== false,
      unpricedSteps: p.unpricedSteps ?? 0,
    };
    this.summary();
  }

  private tableRows(steps: StepView[]): string[][] {
    return steps.map((s) => {
      const e = approx(estimatedStep(s));
      const latency = s.state === "reused" ? 0 : s.latencyMs;
      const cost = s.state === "reused" ? "0" : (s.costCents ?? null);
      return [
        s.nodeId,
        s.nodeType ?? "",
        s.state,
        `${e}${s.tokensInput ?? 0}`,
        `${e}${s.tokensOutput ?? 0}`,
        `${e}${formatUsd(cost)}`,
        ms(latency),
        noteOf(s),
      ];
    });
  }

  private summary() {
    const steps = [...this.view.steps.values()];
    const table = [
      ["node", "type", "status", "tokens in", "tokens out", "cost", "latency", ""],
      ...this.tableRows(steps),
    ];
    const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length))) ?? [];
    this.o.write("");
    for (const [i, row] of table.entries()) {
      const line = row
        .map((cell, j) => cell.padEnd(widths[j] ?? 0))
        .join("  ")
        .trimEnd();
      this.o.write(i === 0 ? this.c("dim", line) : line);
    }
    this.totalLine(steps.some(estimatedStep));
  }

  private totalLine(estimated: boolean) {
    const ok = this.finalStatus === "succeeded";
    const t = this.totals;
    const e = approx(estimated);
    this.o.write("");
    this.o.write(
      `${ok ? this.c("green", "✔ succeeded") : this.c("red", `✘ ${this.finalStatus}`)} · ${e}${t.tokens.toLocaleString("en-US")} tokens · ${formatTotalUsd(t.cost, t.costComplete, t.unpricedSteps, estimated)} · ${ms(t.latency)} in steps${this.finalError ? ` · ${this.finalError}` : ""}`,
    );
    if (estimated)
      this.o.write(this.c("yellow", "~ estimated: a provider reported no usage, so FlowTrace counted those tokens"));
  }
}
