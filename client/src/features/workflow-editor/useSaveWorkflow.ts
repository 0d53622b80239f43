/**
 * Saving the draft: the first save of a new workflow creates it (and puts its id in the address
 * bar), later saves update it. Resolves with the id (null when not saved) and what to tell the user.
 */
import { useState } from "react";
import { useMutation } from "urql";
import { CreateWorkflowMutation, UpdateWorkflowMutation } from "../../app/documents.ts";
import type { WorkflowDoc } from "./graph.ts";

export function useSaveWorkflow(initialId: string | null) {
  // The id once saved: a new workflow gets one on its first save, and later saves update it.
  const [savedId, setSavedId] = useState<string | null>(initialId);
  const [, create] = useMutation(CreateWorkflowMutation);
  const [, update] = useMutation(UpdateWorkflowMutation);

  const save = async (name: string, doc: WorkflowDoc): Promise<{ id: string | null; message: string }> => {
    const input = { name: name.trim() || "Untitled workflow", graph: doc };
    if (savedId) {
      const r = await update({ id: savedId, input });
      const out = r.data?.updateWorkflow;
      if (out?.__typename === "Workflow") return { id: savedId, message: "Saved." };
      return { id: null, message: out && "message" in out ? out.message : (r.error?.message ?? "Save failed") };
    }
    const r = await create({ input });
    const out = r.data?.createWorkflow;
    if (out?.__typename === "Workflow") {
      setSavedId(out.id);
      history.replaceState(null, "", `/workflows/${out.id}`);
      return { id: out.id, message: "Saved." };
    }
    return {
      id: null,
      message: out && "message" in out ? `Not saved: ${out.message}` : (r.error?.message ?? "Save failed"),
    };
  };
  return { savedId, save };
}
