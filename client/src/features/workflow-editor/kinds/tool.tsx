/** The `tool` kind in the editor: a catalog tool and its arguments as JSON (its config is the arguments). */

import type { McpServerJson } from "@flowtrace/contract/mcp";
import { BUILTIN_TOOL_NAMES } from "@flowtrace/contract/tools";
import { Field, type KindFieldsProps } from "./fields.tsx";
import { McpToolFields, useMcpServers } from "./tool-mcp.tsx";
import type { NodeKindUi } from "./types.ts";

function ArgsEditor(props: {
  id: string;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
}) {
  return (
    <textarea
      id={props.id}
      rows={4}
      defaultValue={JSON.stringify(props.value, null, 2)}
      onBlur={(e) => {
        try {
          const parsed = JSON.parse(e.target.value);
          if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) props.onChange(parsed);
          e.target.setCustomValidity("");
        } catch {
          e.target.setCustomValidity("not valid JSON");
          e.target.reportValidity();
        }
      }}
    />
  );
}

/** Built-in tools, or one of the project's MCP servers (its tools then). */
function SourcePicker({ cfg, replace, servers }: KindFieldsProps & { servers: McpServerJson[] }) {
  const source = typeof cfg.mcp === "string" ? cfg.mcp : "";
  return (
    <Field label="Tools from">
      {(id) => (
        <select
          id={id}
          value={source}
          onChange={(e) =>
            replace(
              e.target.value
                ? { mcp: e.target.value, tool: "", args: {} }
                : { tool: "http.fetch", url: "https://example.com" },
            )
          }
        >
          <option value="">built-in</option>
          {servers.map((s) => (
            <option key={s.id} value={s.name}>
              MCP server {s.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function McpArgs({ cfg, replace }: KindFieldsProps) {
  return (
    <Field label="Arguments (JSON)" hint="Checked against the tool's schema before the call; templates allowed.">
      {(id) => (
        <ArgsEditor
          id={id}
          value={(cfg.args ?? {}) as Record<string, unknown>}
          onChange={(args) => replace({ mcp: cfg.mcp, tool: cfg.tool, args })}
        />
      )}
    </Field>
  );
}

function ToolFields(props: KindFieldsProps) {
  const { servers, error } = useMcpServers();
  const mcp = typeof props.cfg.mcp === "string";
  return (
    <>
      {error && <p className="muted">MCP servers could not be listed: {error}</p>}
      {servers && servers.length > 0 && <SourcePicker {...props} servers={servers} />}
      {mcp && servers ? (
        <>
          <McpToolFields {...props} servers={servers} />
          <McpArgs {...props} />
        </>
      ) : (
        <BuiltinFields {...props} />
      )}
    </>
  );
}

function BuiltinFields({ cfg, str, set, replace }: KindFieldsProps) {
  const tool = str("tool") || "http.fetch";
  return (
    <>
      <Field label="Tool">
        {(id) => (
          <select id={id} value={tool} onChange={(e) => set({ tool: e.target.value })}>
            {BUILTIN_TOOL_NAMES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Arguments (JSON)" hint="e.g. {&quot;url&quot;: &quot;{{input.url}}&quot;}">
        {(id) => (
          <ArgsEditor
            id={id}
            value={Object.fromEntries(Object.entries(cfg).filter(([k]) => k !== "tool"))}
            onChange={(args) => replace({ tool, ...args })}
          />
        )}
      </Field>
    </>
  );
}

export const toolKind: NodeKindUi = {
  defaultConfig: { tool: "http.fetch", url: "https://example.com" },
  // A tool's arguments are its inputs: templates go straight into them.
  promptOverrides: false,
  hasInputs: false,
  Fields: ToolFields,
};
