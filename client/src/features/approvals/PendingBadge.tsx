/** The nav link to the pending approvals, with their count (refreshed every few seconds). */
import { Link } from "@tanstack/react-router";
import { useEffect } from "react";
import { useQuery } from "urql";
import { PendingApprovalsQuery } from "./documents.ts";

export const PENDING_REFRESH_MS = 5_000;

export function usePendingApprovals() {
  const [result, refetch] = useQuery({ query: PendingApprovalsQuery });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), PENDING_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  return result;
}

export function PendingBadge() {
  const { data } = usePendingApprovals();
  const count = data?.pendingApprovals.length ?? 0;
  return (
    <Link to="/approvals" aria-label={`Approvals (${count} pending)`}>
      Approvals{" "}
      {count > 0 && (
        <span className="badge" data-testid="pending-count">
          {count}
        </span>
      )}
    </Link>
  );
}
