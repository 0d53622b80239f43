/** Approvals waiting for a decision, across runs, oldest first; each opens its run. */

import { Link } from "@tanstack/react-router";
import { Skeleton } from "../../components/Skeleton.tsx";
import { usePendingApprovals } from "./PendingBadge.tsx";

export default function ApprovalsPage() {
  const { data, fetching, error } = usePendingApprovals();
  if (fetching && !data) return <Skeleton label="Loading approvals" lines={6} />;
  if (error && !data) return <p className="error">Could not load the approvals: {error.message}</p>;
  const pending = data?.pendingApprovals ?? [];
  return (
    <section>
      <h1>Pending approvals</h1>
      {pending.length === 0 ? (
        <p className="muted">No run is waiting for a decision.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Workflow</th>
              <th>Run</th>
              <th>Node</th>
              <th>Message</th>
              <th>Since</th>
              <th>Deadline</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((a) => (
              <tr key={a.id}>
                <td>{a.run.workflow.name}</td>
                <td>
                  <Link to="/runs/$runId" params={{ runId: a.runId }}>
                    {a.runId.slice(0, 8)}
                  </Link>
                </td>
                <td>{a.nodeId}</td>
                <td className="approval-message">{a.message}</td>
                <td>{new Date(a.requestedAt as string).toLocaleString()}</td>
                <td>
                  {a.deadline ? `${new Date(a.deadline as string).toLocaleString()} (then ${a.onTimeout})` : "none"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
