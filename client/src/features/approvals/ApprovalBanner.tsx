/** The banner of a run waiting at an approval: the message, the inputs, a comment, Approve / Reject. */
import { useState } from "react";
import { useMutation } from "urql";
import { ScrollArea } from "../../components/ScrollArea.tsx";
import { authHeaders } from "../../lib/auth.ts";
import { describeError } from "../../lib/errors.ts";
import type { StepView } from "../run-trace/model.ts";
import { DecideApprovalMutation } from "./documents.ts";

/** Decisions from the dashboard are recorded as made by it. */
const asDashboard = { fetchOptions: () => ({ headers: { ...authHeaders(), "x-flowtrace-actor": "dashboard" } }) };

export function ApprovalBanner(props: { runId: string; step: StepView }) {
  const { step } = props;
  const [comment, setComment] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  const [{ fetching }, decide] = useMutation(DecideApprovalMutation);
  const approval = step.approval;
  if (!approval) return null;

  const send = async (decision: "approve" | "reject") => {
    setOutcome(null);
    const r = await decide(
      { runId: props.runId, nodeId: step.nodeId, decision, comment: comment.trim() || null },
      asDashboard,
    );
    const d = r.data?.decideApproval;
    if (r.error) setOutcome(`Could not send the decision: ${describeError(r.error)}`);
    else if (d && d.__typename !== "Run") setOutcome(d.message);
  };

  return (
    <section className="approval-banner" aria-label={`Approval at ${step.nodeId}`}>
      <h2>Waiting for approval · {step.nodeId}</h2>
      <p className="approval-message">{approval.message}</p>
      {approval.deadline && (
        <p className="muted">Decides itself at {new Date(approval.deadline).toLocaleString()} if no one does.</p>
      )}
      <details open>
        <summary>Inputs</summary>
        <ScrollArea label="Approval inputs" className="approval-inputs">
          {JSON.stringify(approval.inputs, null, 2)}
        </ScrollArea>
      </details>
      <label htmlFor="approval-comment">Comment (optional)</label>
      <textarea id="approval-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      <div className="row">
        <button type="button" className="primary" disabled={fetching} onClick={() => void send("approve")}>
          Approve
        </button>
        <button type="button" className="danger" disabled={fetching} onClick={() => void send("reject")}>
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
