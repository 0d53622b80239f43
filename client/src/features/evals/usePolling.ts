/** Ask a query again every `everyMs` while `active` (an experiment that is still running). */
import { useEffect } from "react";
import type { OperationContext } from "urql";

export function usePolling(refetch: (opts?: Partial<OperationContext>) => void, active: boolean, everyMs = 1000): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), everyMs);
    return () => clearInterval(timer);
  }, [refetch, active, everyMs]);
}
