/**
 * Saving the draft: the first save of a new workflow creates it, later saves update it. Resolves
 * with the id (null when not saved), whether it was just created, and what to tell the user.
 */
import { useState } from "react";
import { useMutation } from "urql";
import { CreateWorkflowMutation } from "../workflows/documents.ts";
import { UpdateWorkflowMutation } from "./documents.ts";
import type { WorkflowDoc } from "./graph.ts";

export interface SaveOutcome {
  id: string | null;
  created: boolean;
  message: string;
}

const failure = (out: unknown, error: { message: string } | undefined, prefix = ""): SaveOutcome => ({
  id: null,
  created: false,
  message:
    out && typeof out === "object" && "message" in out ? `${prefix}${out.message}` : (error?.message ?? "Save failed"),
});

export function useSaveWorkflow(initialId: string | null) {
  // The id once saved: a new workflow gets one on its first save, and later saves update it.
  const [savedId, setSavedId] = useState<string | null>(initialId);
  const [, create] = useMutation(CreateWorkflowMutation);
  const [, update] = useMutation(UpdateWorkflowMutation);

  const save = async (name: string, doc: WorkflowDoc): Promise<SaveOutcome> => {
    const input = { name: name.trim() || "Untitled workflow", graph: doc };
    if (savedId) {
      const r = await update({ id: savedId, input });
      const out = r.data?.updateWorkflow;
      return out?.__typename === "Workflow"
        ? { id: savedId, created: false, message: "Saved." }
        : failure(out, r.error);
    }
    const r = await create({ input });
    const out = r.data?.createWorkflow;
    if (out?.__typename !== "Workflow") return failure(out, r.error, "Not saved: ");
    setSavedId(out.id);
    return { id: out.id, created: true, message: "Saved." };
  };
  return { savedId, save };
}
