/**
 * An agent's tools beyond the built-in ones: a project MCP server's tools (each, or all of them),
 * workflows of the project (their inputs are the arguments), and sandboxed code tools.
 */
import type { McpServerJson, McpToolJson } from "@flowtrace/contract/mcp";
import type { AgentTool } from "@flowtrace/contract/workflow";
import { useState } from "react";
import { useQuery } from "urql";
import { rest } from "../../../lib/rest.ts";
import { CallableWorkflowsQuery } from "../documents.ts";
import { useMcpServers } from "./tool-mcp.tsx";

type Props = { tools: AgentTool[]; setTools: (tools: AgentTool[]) => void };

const same = (a: AgentTool, b: AgentTool) => JSON.stringify(a) === JSON.stringify(b);

function Toggle(props: Props & { entry: AgentTool; label: string }) {
  const on = props.tools.some((t) => same(t, props.entry));
  const set = (checked: boolean) =>
    props.setTools(checked ? [...props.tools, props.entry] : props.tools.filter((t) => !same(t, props.entry)));
  return (
    <label className="checkbox">
      <input type="checkbox" checked={on} onChange={(e) => set(e.target.checked)} /> {props.label}
    </label>
  );
}

function McpServerTools(props: Props & { server: McpServerJson }) {
  const [tools, setTools] = useState<McpToolJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    rest<{ items: McpToolJson[] }>("GET", `/mcp-servers/${props.server.id}/tools`).then(
      (r) => setTools(r.items),
      (e: Error) => setError(e.message),
    );
  return (
    <details className="agent-tool" onToggle={(e) => (e.currentTarget.open && !tools ? void load() : undefined)}>
      <summary>MCP server {props.server.name}</summary>
      <Toggle {...props} entry={{ mcp: props.server.name, tools: "*" }} label={`every tool of ${props.server.name}`} />
      {error && <p className="error">Could not list its tools: {error}</p>}
      {!tools && !error && <p className="muted">Listing its tools…</p>}
      {tools?.map((t) => (
        <Toggle
          key={t.name}
          {...props}
          entry={{ mcp: props.server.name, tool: t.name }}
          label={`${t.name} — ${t.description}`}
        />
      ))}
    </details>
  );
}

function McpPicker(props: Props) {
  const { servers, error } = useMcpServers();
  if (error) return <p className="error">Could not load the MCP servers: {error}</p>;
  if (!servers) return <p className="muted">Loading MCP servers…</p>;
  if (servers.length === 0)
    return <p className="muted">No MCP servers yet: register one with POST /api/mcp-servers.</p>;
  return (
    <>
      {servers.map((s) => (
        <McpServerTools key={s.id} {...props} server={s} />
      ))}
    </>
  );
}

function WorkflowPicker(props: Props) {
  const [{ data, error }] = useQuery({ query: CallableWorkflowsQuery });
  if (error) return <p className="error">Could not load the workflows: {error.message}</p>;
  const workflows = data?.workflows.edges.map((e) => e.node) ?? [];
  return (
    <>
      {workflows.map((w) => (
        <Toggle key={w.id} {...props} entry={{ workflow: w.id }} label={`workflow ${w.name}`} />
      ))}
    </>
  );
}

function CodeTools(props: Props) {
  const codes = props.tools.filter((t): t is Extract<AgentTool, { code: unknown }> => "code" in t);
  const add = () =>
    props.setTools([
      ...props.tools,
      {
        code: { language: "javascript", source: "return input;", timeoutMs: 1000, memoryMb: 32 },
        name: `code_${codes.length + 1}`,
      },
    ]);
  const update = (old: AgentTool, next: AgentTool) => props.setTools(props.tools.map((t) => (t === old ? next : t)));
  return (
    <>
      {codes.map((c) => (
        <div key={c.name} className="agent-tool">
          <input
            aria-label="Code tool name"
            value={c.name}
            onChange={(e) => update(c, { ...c, name: e.target.value })}
          />
          <textarea
            aria-label={`${c.name} source`}
            rows={4}
            value={c.code.source}
            onChange={(e) => update(c, { ...c, code: { ...c.code, source: e.target.value } })}
          />
          <button type="button" onClick={() => props.setTools(props.tools.filter((t) => t !== c))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={add}>
        + code tool
      </button>
    </>
  );
}

export function MoreTools(props: Props) {
  return (
    <fieldset className="agent-tools">
      <legend>MCP servers, workflows and code</legend>
      <McpPicker {...props} />
      <WorkflowPicker {...props} />
      <CodeTools {...props} />
    </fieldset>
  );
}
