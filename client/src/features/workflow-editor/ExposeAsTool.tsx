/** "Offer as an MCP tool": saved at once (not part of the document's draft), for a saved workflow. */
import { useMutation, useQuery } from "urql";
import { ExposeAsToolQuery, SetExposeAsToolMutation } from "./documents.ts";

export function ExposeAsTool(props: { workflowId: string | null }) {
  const [{ data, fetching }] = useQuery({
    query: ExposeAsToolQuery,
    variables: { id: props.workflowId ?? "" },
    pause: !props.workflowId,
  });
  const [state, setExpose] = useMutation(SetExposeAsToolMutation);
  if (!props.workflowId) return null;
  const checked = data?.workflow?.exposeAsTool ?? false;
  return (
    <label className="checkbox" title="MCP clients with a runs:write key can call it at POST /mcp">
      <input
        type="checkbox"
        checked={checked}
        disabled={fetching || state.fetching}
        onChange={(e) => void setExpose({ id: props.workflowId ?? "", expose: e.target.checked })}
      />{" "}
      MCP tool
      {state.error && <small className="error"> {state.error.message}</small>}
    </label>
  );
}
