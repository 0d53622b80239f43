/**
 * The banner of a run waiting at an approval: the message, what it is about, a comment, Approve /
 * Reject. A gate shows its inputs; an agent's tool call shows the tool and its arguments in an
 * editable JSON editor (approved with the edit); an agent's budget shows spent vs limit and an
 * "extend by" amount.
 */
import { useState } from "react";
import { useMutation } from "urql";
import { ScrollArea } from "../../components/ScrollArea.tsx";
import { authHeaders } from "../../lib/auth.ts";
import { describeError } from "../../lib/errors.ts";
import { formatCents } from "../../lib/format.ts";
import type { StepView } from "../run-trace/model.ts";
import { DecideApprovalByIdMutation, DecideApprovalMutation } from "./documents.ts";

/** Decisions from the dashboard are recorded as made by it. */
const asDashboard = { fetchOptions: () => ({ headers: { ...authHeaders(), "x-flowtrace-actor": "dashboard" } }) };

type Approval = NonNullable<StepView["approval"]>;

/** What the approver may change: a tool call's arguments (JSON text), a budget's extension (cents). */
interface Edits {
  argsText: string;
  extendCents: string;
}

function ToolCallEditor(props: { approval: Approval; edits: Edits; onChange: (e: Edits) => void }) {
  return (
    <>
      <p>
        Tool <code>{props.approval.tool}</code> with these arguments (edit them before approving):
      </p>
      <label htmlFor="approval-args">Arguments (JSON)</label>
      <textarea
        id="approval-args"
        rows={6}
        className="mono"
        value={props.edits.argsText}
        onChange={(e) => props.onChange({ ...props.edits, argsText: e.target.value })}
      />
    </>
  );
}

function BudgetEditor(props: { approval: Approval; edits: Edits; onChange: (e: Edits) => void }) {
  const { spentCents, limitCents } = props.approval;
  return (
    <>
      <p>
        Spent <strong>{formatCents(spentCents ?? "0")}</strong> of a <strong>{formatCents(limitCents ?? "0")}</strong>{" "}
        budget.
      </p>
      <label htmlFor="approval-extend">Extend by (US cents)</label>
      <input
        id="approval-extend"
        inputMode="decimal"
        value={props.edits.extendCents}
        onChange={(e) => props.onChange({ ...props.edits, extendCents: e.target.value })}
      />
    </>
  );
}

function Subject(props: { approval: Approval; edits: Edits; onChange: (e: Edits) => void }) {
  if (props.approval.kind === "tool") return <ToolCallEditor {...props} />;
  if (props.approval.kind === "budget") return <BudgetEditor {...props} />;
  return (
    <details open>
      <summary>Inputs</summary>
      <ScrollArea label="Approval inputs" className="approval-inputs">
        {JSON.stringify(props.approval.inputs, null, 2)}
      </ScrollArea>
    </details>
  );
}

/** The extras an agent's approval is approved with; an error message when the edit is not usable. */
function extrasOf(approval: Approval, edits: Edits, decision: "approve" | "reject") {
  if (decision === "reject") return {};
  if (approval.kind === "tool") {
    try {
      const args = JSON.parse(edits.argsText) as unknown;
      if (!args || typeof args !== "object" || Array.isArray(args))
        return { problem: "the arguments must be a JSON object" };
      return { args };
    } catch (e) {
      return { problem: `the arguments are not valid JSON: ${(e as Error).message}` };
    }
  }
  if (approval.kind === "budget") {
    return /^\d+(\.\d+)?$/.test(edits.extendCents.trim()) && Number(edits.extendCents) > 0
      ? { extendCents: edits.extendCents.trim() }
      : { problem: "enter the amount of US cents to add, e.g. 5" };
  }
  return {};
}

function useDecide(runId: string, step: StepView) {
  const [gate, decideGate] = useMutation(DecideApprovalMutation);
  const [byId, decideById] = useMutation(DecideApprovalByIdMutation);
  const send = async (decision: "approve" | "reject", comment: string | null, extras: Record<string, unknown>) => {
    const approval = step.approval;
    if (approval?.kind && approval.approvalId) {
      const r = await decideById({ approvalId: approval.approvalId, decision, comment, ...extras }, asDashboard);
      const d = r.data?.decideApprovalById;
      return r.error
        ? `Could not send the decision: ${describeError(r.error)}`
        : d && d.__typename !== "Run"
          ? d.message
          : null;
    }
    const r = await decideGate({ runId, nodeId: step.nodeId, decision, comment }, asDashboard);
    const d = r.data?.decideApproval;
    return r.error
      ? `Could not send the decision: ${describeError(r.error)}`
      : d && d.__typename !== "Run"
        ? d.message
        : null;
  };
  return { send, fetching: gate.fetching || byId.fetching };
}

export function ApprovalBanner(props: { runId: string; step: StepView }) {
  const { step } = props;
  const approval = step.approval;
  const [comment, setComment] = useState("");
  const [edits, setEdits] = useState<Edits>({
    argsText: JSON.stringify(approval?.args ?? {}, null, 2),
    extendCents: "",
  });
  const [outcome, setOutcome] = useState<string | null>(null);
  const { send, fetching } = useDecide(props.runId, step);
  if (!approval) return null;
  const decide = async (decision: "approve" | "reject") => {
    const extras = extrasOf(approval, edits, decision);
    if ("problem" in extras) return setOutcome(extras.problem ?? null);
    setOutcome(await send(decision, comment.trim() || null, extras));
  };
  const title = approval.kind === "tool" ? "a tool call" : approval.kind === "budget" ? "more budget" : "approval";
  return (
    <section className="approval-banner" aria-label={`Approval at ${step.nodeId}`}>
      <h2>
        Waiting for {title} · {step.nodeId}
      </h2>
      <p className="approval-message">{approval.message}</p>
      {approval.deadline && (
        <p className="muted">Decides itself at {new Date(approval.deadline).toLocaleString()} if no one does.</p>
      )}
      <Subject approval={approval} edits={edits} onChange={setEdits} />
      <label htmlFor="approval-comment">Comment (optional)</label>
      <textarea id="approval-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      <div className="row">
        <button type="button" className="primary" disabled={fetching} onClick={() => void decide("approve")}>
          Approve
        </button>
        <button type="button" className="danger" disabled={fetching} onClick={() => void decide("reject")}>
          Reject
        </button>
      </div>
      {outcome && (
        <p className="error" role="alert">
          {outcome}
        </p>
      )}
    </section>
  );
}
