/** "Offer as an MCP tool": saved at once (not part of the document's draft), for a saved workflow. */
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { ExposeAsToolQuery, SetExposeAsToolMutation } from "./documents.ts";

export function ExposeAsTool(props: { workflowId: string | null }) {
  const [{ data, fetching }] = useQuery({
    query: ExposeAsToolQuery,
    variables: { id: props.workflowId ?? "" },
    pause: !props.workflowId,
  });
  const [state, setExpose] = useMutation(SetExposeAsToolMutation);
  // Shown at once; put back if the save fails.
  const [chosen, setChosen] = useState<boolean | null>(null);
  if (!props.workflowId) return null;
  const checked = chosen ?? data?.workflow?.exposeAsTool ?? false;
  const change = async (value: boolean) => {
    setChosen(value);
    const r = await setExpose({ id: props.workflowId ?? "", expose: value });
    if (r.error) setChosen(null);
  };
  return (
    <label className="checkbox" title="MCP clients with a runs:write key can call it at POST /mcp">
      <input
        type="checkbox"
        checked={checked}
        disabled={fetching || state.fetching}
        onChange={(e) => void change(e.target.checked)}
      />{" "}
      MCP tool
      {state.error && <small className="error"> {state.error.message}</small>}
    </label>
  );
}
