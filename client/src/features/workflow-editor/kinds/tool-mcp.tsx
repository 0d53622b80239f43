/** A tool node's MCP form: one of the project's MCP servers, one of its tools (listed live), its arguments. */
import type { McpServerJson, McpToolJson } from "@flowtrace/contract/mcp";
import { useEffect, useState } from "react";
import { rest } from "../../../lib/rest.ts";
import { Field, type KindFieldsProps } from "./fields.tsx";

/** The project's MCP servers (null while loading), or why they could not be listed. */
export function useMcpServers(): { servers: McpServerJson[] | null; error: string | null } {
  const [servers, setServers] = useState<McpServerJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    rest<{ items: McpServerJson[] }>("GET", "/mcp-servers").then(
      (r) => setServers(r.items),
      (e: Error) => setError(e.message),
    );
  }, []);
  return { servers, error };
}

function useTools(serverId: string | undefined) {
  const [tools, setTools] = useState<McpToolJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!serverId) return;
    setTools(null);
    rest<{ items: McpToolJson[] }>("GET", `/mcp-servers/${serverId}/tools`).then(
      (r) => setTools(r.items),
      (e: Error) => setError(e.message),
    );
  }, [serverId]);
  return { tools, error };
}

export function McpToolFields(props: KindFieldsProps & { servers: McpServerJson[] }) {
  const { cfg, replace } = props;
  const server = props.servers.find((s) => s.name === cfg.mcp);
  const { tools, error } = useTools(server?.id);
  const picked = tools?.find((t) => t.name === cfg.tool);
  return (
    <>
      <Field label="MCP tool" hint={picked?.description}>
        {(id) =>
          error ? (
            <p className="error">Could not list the server's tools: {error}</p>
          ) : (
            <select
              id={id}
              value={String(cfg.tool ?? "")}
              onChange={(e) => replace({ mcp: cfg.mcp, tool: e.target.value, args: {} })}
            >
              <option value="">{tools ? "Pick a tool" : "Listing tools…"}</option>
              {tools?.map((t) => (
                <option key={t.name}>{t.name}</option>
              ))}
            </select>
          )
        }
      </Field>
      {picked && (
        <details className="tool-schema">
          <summary>Its arguments' schema</summary>
          <pre>{JSON.stringify(picked.input_schema, null, 2)}</pre>
        </details>
      )}
    </>
  );
}
