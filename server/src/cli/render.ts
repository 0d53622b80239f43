/** Terminal rendering of a run's trace: a line per step as it finishes, retries/fallbacks as they happen, a summary table. */
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

interface StepRow {
  node: string;
  type: string;
  status: string;
  tokensIn: number;
  tokensOut: number;
  cost: string | null;
  latency: number | null;
  /** The provider reported no usage: tokens and cost were counted here. */
  estimated: boolean;
  note: string;
}

/** Feeds on trace events in seq order; returns the final status when run.finished arrives. */
export class RunRenderer {
  private readonly nodeOf = new Map<string, { id: string; type: string }>();
  private readonly rows = new Map<string, StepRow>();
  private readonly provider = new Map<string, string>();
  finalStatus: string | null = null;
  finalError: string | null = null;
  /** The approval the run is waiting at, until it is resolved (the CLI asks for a decision). */
  waiting: { nodeId: string; message: string } | null = null;
  totals = { tokens: 0, cost: "0", latency: 0, costComplete: true, unpricedSteps: 0 };

  constructor(private readonly o: RenderOptions) {}

  private c(color: keyof typeof codes, text: string) {
    return this.o.color ? `\u001b[${codes[color]}m${text}\u001b[0m` : text;
  }

  private row(stepId: string | null): StepRow | undefined {
    if (!stepId) return undefined;
    const node = this.nodeOf.get(stepId);
    if (!node) return undefined;
    let r = this.rows.get(node.id);
    if (!r) {
      r = {
        node: node.id,
        type: node.type,
        status: "queued",
        tokensIn: 0,
        tokensOut: 0,
        cost: null,
        latency: null,
        estimated: false,
        note: "",
      };
      this.rows.set(node.id, r);
    }
    return r;
  }

  /** Which node a step is, learned from its first event. */
  private learnNode(e: TraceEventBody) {
    if (e.kind === "step.started") {
      this.nodeOf.set(e.stepId ?? "", { id: e.payload.nodeId, type: e.payload.type });
    } else if (e.stepId && "nodeId" in e.payload && !this.nodeOf.has(e.stepId)) {
      this.nodeOf.set(e.stepId, { id: e.payload.nodeId, type: "" });
    }
  }

  handle(e: TraceEventBody) {
    this.learnNode(e);
    const r = this.row(e.stepId);
    const name = r ? this.c("bold", r.node) : "";
    switch (e.kind) {
      case "run.started":
        this.runStarted(e.payload);
        break;
      case "llm.request":
        if (r) this.provider.set(r.node, `${e.payload.provider}/${e.payload.model}`);
        break;
      case "retry":
        this.retried(name, e.payload);
        break;
      case "fallback":
        this.fellBack(name, e.payload);
        break;
      case "cache.hit":
        this.note(r, name, "green", "⚡", `cache hit (saved ${formatUsd(e.payload.savedCostCents)})`, "cache hit");
        break;
      case "router.branch":
        this.branched(r, name, e.payload.branch);
        break;
      case "log":
        if (e.payload.level === "warn") this.o.write(`  ${this.c("yellow", "!")} ${e.payload.message}`);
        break;
      case "step.finished":
        if (r) this.stepFinished(r, name, e.payload);
        break;
      case "step.reused":
        if (r) this.stepReused(r, name, e.payload);
        break;
      case "replay.hit":
        if (r) r.note = "replayed";
        break;
      case "replay.miss":
        this.replayMiss(name, e.payload);
        break;
      case "approval.requested":
      case "approval.resolved":
        this.approval(r, name, e);
        break;
      case "step.failed":
        if (r) this.stepFailed(r, name, e.payload);
        break;
      case "step.skipped":
        if (r) this.stepSkipped(r, name);
        break;
      case "run.finished":
        this.runFinished(e.payload);
        break;
      case "step.started":
      case "llm.response":
      case "tool.request":
      case "tool.response":
        break;
      default:
        otherKind(e);
    }
  }

  /** A line about the step, kept as its note for the summary table. */
  private note(
    r: StepRow | undefined,
    name: string,
    color: keyof typeof codes,
    mark: string,
    line: string,
    note: string,
  ) {
    this.o.write(`  ${this.c(color, mark)} ${name}: ${line}`);
    if (r) r.note = note;
  }

  private branched(r: StepRow | undefined, name: string, branch: unknown) {
    this.note(r, name, "cyan", "⤳", `branch = ${JSON.stringify(branch)}`, `branch ${JSON.stringify(branch)}`);
  }

  private runStarted(p: StoredPayload<"run.started">) {
    const simulated = p.simulated ? this.c("magenta", " · simulated providers") : "";
    this.o.write(`${this.c("cyan", "▶")} run started · ${p.nodes.length} nodes${simulated}`);
  }

  private retried(name: string, p: StoredPayload<"retry">) {
    const next = p.willRetry ? `; retrying in ${p.delayMs} ms` : "";
    this.o.write(`  ${this.c("yellow", "↻")} ${name}: attempt ${p.attempt} failed — ${p.message}${next}`);
  }

  private fellBack(name: string, { from, to }: StoredPayload<"fallback">) {
    this.o.write(
      `  ${this.c("magenta", "⇢")} ${name}: fallback ${from.provider}/${from.model} → ${to.provider}/${to.model}`,
    );
  }

  private stepFailed(r: StepRow, name: string, p: StoredPayload<"step.failed">) {
    r.status = p.kind === "canceled" ? "canceled" : "failed";
    r.note = p.error;
    this.o.write(`${this.c("red", "✗")} ${name} ${r.status}: ${p.error}`);
  }

  private stepSkipped(r: StepRow, name: string) {
    r.status = "skipped";
    this.o.write(`${this.c("dim", "–")} ${name} skipped (no active inbound edge)`);
  }

  private stepFinished(r: StepRow, name: string, p: StoredPayload<"step.finished">) {
    r.status = p.cached ? "cached" : "succeeded";
    r.tokensIn = p.tokensInput;
    r.tokensOut = p.tokensOutput;
    r.cost = p.costCents;
    r.latency = p.latencyMs;
    r.estimated = p.usageSource === "estimated";
    const via = this.provider.get(r.node);
    const e = approx(r.estimated);
    this.o.write(
      `${this.c("green", "✓")} ${name} ${this.c("dim", r.type)}${via ? ` ${via}` : ""} · ${e}${r.tokensIn}→${e}${r.tokensOut} tok · ${e}${formatUsd(r.cost)}${r.estimated ? this.c("yellow", " (estimated)") : ""} · ${ms(r.latency)}`,
    );
  }

  private replayMiss(name: string, p: StoredPayload<"replay.miss">) {
    const paths = p.diff.map((d) => d.path || "(request)").join(", ");
    this.o.write(`  ${this.c("red", "≠")} ${name}: replay miss — differs at ${paths || "(no recorded request)"}`);
  }

  private approval(
    r: StepRow | undefined,
    name: string,
    e: Extract<TraceEventBody, { kind: "approval.requested" | "approval.resolved" }>,
  ) {
    if (e.kind === "approval.requested") this.approvalRequested(r, name, e.payload);
    else this.approvalResolved(r, name, e.payload);
  }

  private approvalRequested(r: StepRow | undefined, name: string, p: StoredPayload<"approval.requested">) {
    if (r) r.status = "waiting";
    const deadline = p.deadline ? ` (until ${p.deadline}, then ${p.onTimeout})` : "";
    this.o.write(`${this.c("yellow", "⏸")} ${name} waiting for approval${deadline}: ${p.message}`);
    this.waiting = { nodeId: p.nodeId, message: p.message };
  }

  private approvalResolved(r: StepRow | undefined, name: string, p: StoredPayload<"approval.resolved">) {
    if (r) r.note = `${p.decision} by ${p.decidedBy}`;
    const comment = p.comment ? ` — "${p.comment}"` : "";
    this.o.write(`  ${this.c("cyan", "⏵")} ${name}: ${p.decision} by ${p.decidedBy}${comment}`);
    this.waiting = null;
  }

  private stepReused(r: StepRow, name: string, p: StoredPayload<"step.reused">) {
    r.status = "reused";
    r.cost = "0";
    r.latency = 0;
    r.note = `from run ${p.sourceRunId.slice(0, 8)} (saved ${formatUsd(p.savedCostCents)})`;
    this.o.write(`${this.c("cyan", "↺")} ${name} reused from run ${p.sourceRunId.slice(0, 8)} · no call · $0`);
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

  private summary() {
    const rows = [...this.rows.values()];
    const table = [
      ["node", "type", "status", "tokens in", "tokens out", "cost", "latency", ""],
      ...rows.map((r) => [
        r.node,
        r.type,
        r.status,
        `${approx(r.estimated)}${r.tokensIn}`,
        `${approx(r.estimated)}${r.tokensOut}`,
        `${approx(r.estimated)}${formatUsd(r.cost)}`,
        ms(r.latency),
        r.note,
      ]),
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
    const ok = this.finalStatus === "succeeded";
    const t = this.totals;
    const e = approx(rows.some((r) => r.estimated));
    this.o.write("");
    this.o.write(
      `${ok ? this.c("green", "✔ succeeded") : this.c("red", `✘ ${this.finalStatus}`)} · ${e}${t.tokens.toLocaleString("en-US")} tokens · ${formatTotalUsd(t.cost, t.costComplete, t.unpricedSteps, e !== "")} · ${ms(t.latency)} in steps${this.finalError ? ` · ${this.finalError}` : ""}`,
    );
    if (e)
      this.o.write(this.c("yellow", "~ estimated: a provider reported no usage, so FlowTrace counted those tokens"));
  }
}
