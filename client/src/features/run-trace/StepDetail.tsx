/** The step inspector: inputs, rendered prompt, output, tokens, cost, latency, attempts, fallbacks, cache, raw JSON. */
import { Link } from "@tanstack/react-router";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { useQuery } from "urql";
import { CopyButton } from "../../components/CopyButton.tsx";
import { ScrollArea } from "../../components/ScrollArea.tsx";
import { StatusChip } from "../../components/StatusChip.tsx";
import { describeError } from "../../lib/errors.ts";
import { ESTIMATED_TITLE, formatCents, formatMs, formatTokenCount, formatTokens } from "../../lib/format.ts";
import type { DocNode } from "../workflow-editor/graph.ts";
import { Conversation } from "./Conversation.tsx";
import { StepOutputQuery } from "./documents.ts";
import { cutLength, type StepView } from "./model.ts";
import { RerunPanel } from "./RerunPanel.tsx";

// Markdown and the JSON tree load with the first opened output, not with the run page.
const OutputView = lazy(() => import("./OutputView.tsx").then((m) => ({ default: m.OutputView })));

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

type Tab = "overview" | "raw";

export function StepDetail(props: {
  step: StepView | null;
  onClose?: () => void;
  /** Offer "Re-run from here" for the step's node (its config as the run ran it). */
  rerun?: { runId: string; node: DocNode | undefined; finished: boolean };
}) {
  const [tab, setTab] = useState<Tab>("overview");
  const s = props.step;
  if (!s) {
    return (
      <section className="step-detail" aria-label="Step detail">
        <p className="muted empty">Select a node or a timeline row to inspect a step.</p>
      </section>
    );
  }
  return (
    <section className="step-detail" aria-label="Step detail" data-testid="step-detail">
      <StepTitle step={s} tab={tab} onTab={setTab} {...(props.onClose ? { onClose: props.onClose } : {})} />
      {tab === "raw" ? (
        <div className="raw">
          <CopyButton text={() => JSON.stringify(s.events, null, 2)} label="Copy the step's events as JSON" />
          <ScrollArea label="Step events as JSON" testId="step-raw">
            {JSON.stringify(s.events, null, 2)}
          </ScrollArea>
        </div>
      ) : (
        <div className="detail-body">
          <StepMetrics step={s} />
          {s.error && (
            <p className="error" role="alert">
              {s.error}
            </p>
          )}
          <StepRequest request={s.request ?? {}} />
          <Conversation step={s} />
          <StepOutput step={s} />
          <CostBreakdown step={s} />
          <AttemptList attempts={s.attempts} />
          <FallbackList fallbacks={s.fallbacks} />
          {props.rerun?.node && (
            <RerunPanel
              key={s.stepId}
              runId={props.rerun.runId}
              node={props.rerun.node}
              finished={props.rerun.finished}
            />
          )}
        </div>
      )}
    </section>
  );
}

function StepTitle(props: { step: StepView; tab: Tab; onTab: (tab: Tab) => void; onClose?: () => void }) {
  const { step, tab, onTab } = props;
  return (
    <div className="pane-title">
      <h2>
        Step <code>{step.nodeId}</code>
      </h2>
      <StatusChip status={step.state} />
      <div role="tablist" className="tabs">
        <button type="button" role="tab" aria-selected={tab === "overview"} onClick={() => onTab("overview")}>
          Overview
        </button>
        <button type="button" role="tab" aria-selected={tab === "raw"} onClick={() => onTab("raw")}>
          Raw JSON
        </button>
      </div>
      {props.onClose && (
        <button type="button" className="link" onClick={props.onClose} aria-label="Close step detail">
          ✕
        </button>
      )}
    </div>
  );
}

function stepCost(s: StepView, estimated: boolean): string {
  if (s.costCents === undefined) return "—";
  if (s.costCents === null) return "unknown price";
  return `${estimated ? "~" : ""}${formatCents(s.costCents)}`;
}

function StepMetrics({ step: s }: { step: StepView }) {
  const estimated = s.usageSource === "estimated";
  const estimateTitle = estimated ? ESTIMATED_TITLE : undefined;
  return (
    <dl className="metrics">
      <dt>Tokens in</dt>
      <dd data-testid="tokens-in" title={estimateTitle}>
        {formatTokenCount(s.tokensInput, estimated)}
      </dd>
      <dt>Tokens out</dt>
      <dd data-testid="tokens-out" title={estimateTitle}>
        {formatTokenCount(s.tokensOutput, estimated)}
      </dd>
      {Boolean(s.tokensReasoning) && (
        <Metric
          label="Reasoning tokens"
          testId="tokens-reasoning"
          title="Hidden reasoning, billed as output (part of tokens out)"
        >
          {formatTokens(s.tokensReasoning)}
        </Metric>
      )}
      <dt>Cost</dt>
      <dd data-testid="step-cost" title={estimateTitle ?? s.costCents ?? "unknown price"}>
        {stepCost(s, estimated)}
      </dd>
      {estimated && (
        <Metric label="Usage" testId="usage-estimated" className="muted">
          estimated — the provider reported none
        </Metric>
      )}
      <dt>Latency</dt>
      <dd data-testid="step-latency">{formatMs(s.latencyMs)}</dd>
      {s.reusedFrom && (
        <Metric label="Reused" testId="step-reused">
          from run{" "}
          <Link to="/runs/$runId" params={{ runId: s.reusedFrom.runId }}>
            {s.reusedFrom.runId.slice(0, 8)}…
          </Link>{" "}
          (no call; it cost{" "}
          {s.reusedFrom.savedCostCents === null ? "an unknown amount" : formatCents(s.reusedFrom.savedCostCents)} there)
        </Metric>
      )}
      {s.cacheKey && (
        <Metric label="Cache key">
          <code className="hash">{s.cacheKey.slice(0, 16)}…</code>
        </Metric>
      )}
      {s.branch !== undefined && <Metric label="Branch">{text(s.branch)}</Metric>}
    </dl>
  );
}

function Metric(props: { label: string; testId?: string; title?: string; className?: string; children: ReactNode }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId} title={props.title} className={props.className}>
        {props.children}
      </dd>
    </>
  );
}

function StepRequest({ request: req }: { request: Record<string, unknown> }) {
  return (
    <>
      {typeof req.system === "string" && req.system && (
        <>
          <h3>System</h3>
          <ScrollArea label="System prompt">{req.system}</ScrollArea>
        </>
      )}
      {req.prompt !== undefined && (
        <>
          <h3>Rendered prompt</h3>
          <CutNote payload={req} field="prompt" />
          <ScrollArea label="Rendered prompt" testId="step-prompt">
            {previewText(req.prompt)}
          </ScrollArea>
        </>
      )}
      {req.args !== undefined && (
        <>
          <h3>Tool arguments</h3>
          <CutNote payload={req} field="args" />
          <ScrollArea label="Tool arguments" testId="step-args">
            {previewText(req.args)}
          </ScrollArea>
        </>
      )}
    </>
  );
}

function StepOutput({ step: s }: { step: StepView }) {
  if (s.outputCutAt !== undefined) {
    return <CutOutput key={s.stepId} stepId={s.stepId} length={s.outputCutAt} preview={s.output} />;
  }
  const responseText = s.response?.text;
  if (s.output === undefined && responseText === undefined) return null;
  return (
    <>
      <h3>Output</h3>
      <Suspense
        fallback={
          <ScrollArea label="Output" testId="step-output">
            {text(s.output ?? responseText)}
          </ScrollArea>
        }
      >
        <OutputView value={s.output ?? responseText} testId="step-output" label="output" />
      </Suspense>
    </>
  );
}

const TOKEN_CLASS: Record<string, string> = {
  input: "Input",
  cached_input: "Cached input",
  cache_write: "Cache write",
  output: "Output",
};

/** The answer's cost by token class, each at the list price used (reasoning is billed as output). */
function CostBreakdown({ step: s }: { step: StepView }) {
  const lines = s.costBreakdown;
  if (!lines) return null;
  return (
    <>
      <h3>Cost by token class</h3>
      <table className="cost-breakdown" data-testid="cost-breakdown">
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Tokens</th>
            <th scope="col">Price (USD / 1M)</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.tokenClass} data-class={l.tokenClass}>
              <td>{TOKEN_CLASS[l.tokenClass] ?? l.tokenClass}</td>
              <td>{formatTokens(l.tokens)}</td>
              <td>${l.usdPerMillion}</td>
              <td>{formatCents(l.costCents)}</td>
            </tr>
          ))}
          {Boolean(s.tokensReasoning) && (
            <tr data-class="reasoning" className="muted">
              <td>of which reasoning</td>
              <td>{formatTokens(s.tokensReasoning)}</td>
              <td colSpan={2}>billed as output (included above)</td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}

function AttemptList({ attempts }: { attempts: StepView["attempts"] }) {
  if (attempts.length === 0) return null;
  return (
    <>
      <h3>Attempts</h3>
      <ol className="attempts">
        {attempts.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: attempts are append-only
          <li key={i} className={a.ok ? "ok" : "failed"}>
            {a.provider}
            {a.model ? `/${a.model}` : ""} #{a.attempt}: {a.ok ? "ok" : a.error} · {formatMs(a.latencyMs)}
            {a.partialText ? <span className="muted"> (partial: “{a.partialText.slice(0, 60)}…”)</span> : null}
          </li>
        ))}
      </ol>
    </>
  );
}

function FallbackList({ fallbacks }: { fallbacks: StepView["fallbacks"] }) {
  if (fallbacks.length === 0) return null;
  return (
    <>
      <h3>Fallback path</h3>
      <ol className="fallbacks">
        {fallbacks.map((f, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fallbacks are append-only
          <li key={i}>
            {f.from} → {f.to} <span className="muted">({f.cause})</span>
          </li>
        ))}
      </ol>
    </>
  );
}

/** What a cut trace value looks like: the text with its marker, or `{ $truncated, preview }` for JSON. */
const previewText = (v: unknown) =>
  v && typeof v === "object" && (v as { $truncated?: unknown }).$truncated === true
    ? `${String((v as { preview?: unknown }).preview ?? "")}…`
    : text(v);

/** Says that a request value was cut in the trace (the step keeps the full output, not its inputs). */
function CutNote(props: { payload: Record<string, unknown>; field: string }) {
  const length = cutLength(props.payload, props.field);
  if (length === undefined) return null;
  return (
    <p className="muted" data-testid={`${props.field}-cut`}>
      Only the first 64 KiB of {formatTokens(length)} characters are in the trace.
    </p>
  );
}

/**
 * An output the trace holds only the start of (values above 64 KiB are cut in events): shows that
 * start, says so, and loads the complete value from the step on request.
 */
function CutOutput(props: { stepId: string; length: number; preview: unknown }) {
  const [requested, setRequested] = useState(false);
  const [{ data, fetching, error }, reload] = useQuery({
    query: StepOutputQuery,
    variables: { id: props.stepId },
    pause: !requested,
  });
  const loaded = requested && data !== undefined && !fetching;
  const full = loaded && data?.step?.output != null ? data.step.output : undefined;
  return (
    <>
      <h3>Output</h3>
      <p className="note" data-testid="output-cut">
        {full !== undefined
          ? `Full output: ${formatTokens(props.length)} characters.`
          : `The trace holds the first 64 KiB of this output (${formatTokens(props.length)} characters in all).`}
        {!loaded && " "}
        {!loaded && (
          <button
            type="button"
            className="link"
            disabled={fetching}
            onClick={() => (requested ? reload({ requestPolicy: "network-only" }) : setRequested(true))}
          >
            {fetching ? "Loading full output…" : error ? "Try again" : "Load full output"}
          </button>
        )}
      </p>
      {error && (
        <p className="error" role="alert">
          Could not load the full output: {describeError(error)}
        </p>
      )}
      {loaded && full === undefined && (
        <p className="error" role="alert">
          {data?.step
            ? "This step did not store its output: only the start above is known."
            : "This step no longer exists."}
        </p>
      )}
      <ScrollArea label="Output" testId="step-output">
        {full !== undefined ? text(full) : previewText(props.preview)}
      </ScrollArea>
    </>
  );
}
