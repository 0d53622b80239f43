/** The server's validateWorkflow query, for the editor: on demand, and live as the draft changes. */
import { useCallback, useEffect, useState } from "react";
import { createRequest, useClient } from "urql";
import { pipe, take, toPromise } from "wonka";
import { ValidateWorkflowQuery } from "./documents.ts";
import type { WorkflowDoc } from "./graph.ts";
import type { Issue } from "./ValidationList.tsx";

/** Asks the server to validate a document (never cached: the answer depends on its providers). */
export function useValidateWorkflow() {
  const client = useClient();
  return useCallback(
    (graph: unknown) =>
      pipe(
        client.executeQuery(createRequest(ValidateWorkflowQuery, { graph }), { requestPolicy: "network-only" }),
        take(1),
        toPromise,
      ),
    [client],
  );
}

/** The draft's validation issues, 300 ms after the last change. */
export function useLiveValidation(doc: WorkflowDoc, delayMs = 300): Issue[] {
  const [issues, setIssues] = useState<Issue[]>([]);
  const validate = useValidateWorkflow();
  useEffect(() => {
    if (doc.nodes.length === 0) {
      setIssues([]);
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      const r = await validate(doc);
      if (current && r.data) setIssues(r.data.validateWorkflow);
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [doc, validate, delayMs]);
  return issues;
}
