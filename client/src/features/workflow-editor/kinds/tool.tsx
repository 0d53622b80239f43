/** The `tool` kind in the editor: a catalog tool and its arguments as JSON (its config is the arguments). */
import { BUILTIN_TOOL_NAMES } from "@flowtrace/contract/tools";
import { Field, type KindFieldsProps } from "./fields.tsx";
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

function ToolFields({ cfg, str, set, replace }: KindFieldsProps) {
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
