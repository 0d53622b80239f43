/** The draft's validation issues, from the server's validateWorkflow, 300 ms after the last change. */
import { useEffect, useState } from "react";
import { useMutation } from "urql";
import { ValidateWorkflowMutation } from "../../app/documents.ts";
import type { WorkflowDoc } from "./graph.ts";
import type { Issue } from "./ValidationList.tsx";

export function useLiveValidation(doc: WorkflowDoc, delayMs = 300): Issue[] {
  const [issues, setIssues] = useState<Issue[]>([]);
  const [, validate] = useMutation(ValidateWorkflowMutation);
  useEffect(() => {
    if (doc.nodes.length === 0) {
      setIssues([]);
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      const r = await validate({ graph: doc });
      if (current && r.data) setIssues(r.data.validateWorkflow);
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [doc, validate, delayMs]);
  return issues;
}
