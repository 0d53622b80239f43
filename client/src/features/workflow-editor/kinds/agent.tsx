/**
 * The `agent` kind in the editor: provider and model, prompts, the tools it may call (picked from
 * the catalog, with the name the model sees), its loop settings and an optional answer schema.
 */

import { BUILTIN_TOOL_NAMES, BUILTIN_TOOL_SPECS, toolArgsJsonSchema } from "@flowtrace/contract/tools";
import { type AgentTool, exposedToolName, isBuiltinEntry } from "@flowtrace/contract/workflow";
import { useState } from "react";
import { MoreTools } from "./agent-sources.tsx";
import { Field, type KindFieldsProps, numberOrUndefined } from "./fields.tsx";
import { LlmModelFields, LlmPromptFields } from "./llm.tsx";
import type { NodeKindUi } from "./types.ts";

/** What the model is told about a catalog tool: its description and its arguments' JSON Schema. */
function ToolSchema({ name }: { name: string }) {
  const spec = Object.values(BUILTIN_TOOL_SPECS).find((t) => t.name === name);
  if (!spec) return null;
  const schema = toolArgsJsonSchema(name);
  return (
    <details className="tool-schema">
      <summary>{spec.description}</summary>
      <pre>{JSON.stringify(schema, null, 2)}</pre>
    </details>
  );
}

function ToolPicker({ cfg, set }: KindFieldsProps) {
  const tools = (Array.isArray(cfg.tools) ? cfg.tools : []) as AgentTool[];
  const is = (t: AgentTool, name: string) => isBuiltinEntry(t) && t.tool === name;
  const has = (name: string) => tools.some((t) => is(t, name));
  const toggle = (name: string, on: boolean) =>
    set({ tools: on ? [...tools, { tool: name }] : tools.filter((t) => !is(t, name)) });
  const asks = (name: string) => tools.some((t) => is(t, name) && t.requireApproval === true);
  const askFirst = (name: string, on: boolean) =>
    set({ tools: tools.map((t) => (is(t, name) ? { ...t, requireApproval: on || undefined } : t)) });
  return (
    <fieldset className="agent-tools">
      <legend>Tools the model may call</legend>
      {BUILTIN_TOOL_NAMES.map((name) => (
        <div key={name} className="agent-tool">
          <label className="checkbox">
            <input type="checkbox" checked={has(name)} onChange={(e) => toggle(name, e.target.checked)} /> {name}
            {has(name) && <small className="muted"> (the model calls it {exposedToolName({ tool: name })})</small>}
          </label>
          {has(name) && (
            <label className="checkbox nested">
              <input
                type="checkbox"
                aria-label={`Ask a person before each ${name} call`}
                checked={asks(name)}
                onChange={(e) => askFirst(name, e.target.checked)}
              />{" "}
              ask a person first
            </label>
          )}
          {has(name) && <ToolSchema name={name} />}
        </div>
      ))}
    </fieldset>
  );
}

function LoopFields({ cfg, set }: KindFieldsProps) {
  return (
    <div className="row">
      <Field label="Max iterations">
        {(id) => (
          <input
            id={id}
            type="number"
            min={1}
            max={100}
            value={typeof cfg.maxIterations === "number" ? cfg.maxIterations : 8}
            onChange={(e) => set({ maxIterations: numberOrUndefined(e.target.value) })}
          />
        )}
      </Field>
      <Field label="Tool choice">
        {(id) => (
          <select
            id={id}
            value={typeof cfg.toolChoice === "string" ? cfg.toolChoice : "auto"}
            onChange={(e) => set({ toolChoice: e.target.value })}
          >
            <option value="auto">auto</option>
            <option value="required">required</option>
            <option value="none">none</option>
          </select>
        )}
      </Field>
    </div>
  );
}

/** The answer's JSON Schema as JSON text; kept while it does not parse, with the reason shown. */
function OutputSchemaField({ cfg, set }: KindFieldsProps) {
  const output = cfg.output as { schema?: unknown } | undefined;
  const [text, setText] = useState(output?.schema ? JSON.stringify(output.schema, null, 2) : "");
  const [problem, setProblem] = useState<string | null>(null);
  const apply = (value: string) => {
    setText(value);
    if (value.trim() === "") {
      setProblem(null);
      return set({ output: undefined });
    }
    try {
      const schema = JSON.parse(value) as unknown;
      if (!schema || typeof schema !== "object" || Array.isArray(schema)) throw new Error("expected a JSON object");
      setProblem(null);
      set({ output: { schema } });
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <Field
      label="Answer schema (JSON Schema, optional)"
      hint="The step's output becomes the parsed answer; one repair if it does not match."
    >
      {(id) => (
        <>
          <textarea
            id={id}
            rows={4}
            value={text}
            onChange={(e) => apply(e.target.value)}
            aria-invalid={problem !== null}
          />
          {problem && <small className="error">Not saved: {problem}</small>}
        </>
      )}
    </Field>
  );
}

function AgentFields(props: KindFieldsProps) {
  return (
    <>
      <LlmModelFields {...props} />
      <LlmPromptFields {...props} />
      <ToolPicker {...props} />
      <MoreTools
        tools={(Array.isArray(props.cfg.tools) ? props.cfg.tools : []) as AgentTool[]}
        setTools={(tools) => props.set({ tools })}
      />
      <LoopFields {...props} />
      <OutputSchemaField {...props} />
    </>
  );
}

export const agentKind: NodeKindUi = {
  defaultConfig: {
    provider: "openai",
    model: "gpt-4o-mini",
    system: "Use the tools when they help; answer briefly.",
    tools: [{ tool: "http.fetch" }],
    maxIterations: 8,
  },
  promptOverrides: true,
  hasInputs: true,
  Fields: AgentFields,
};
