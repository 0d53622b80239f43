/** The `llm` kind in the editor: provider and model, prompts, call settings. */
import { Field, type KindFieldsProps, numberOrUndefined, TemplateHints } from "./fields.tsx";
import type { NodeKindUi } from "./types.ts";

export function LlmModelFields({ str, set, catalog }: KindFieldsProps) {
  const models = catalog.models.filter((m) => m.provider === str("provider"));
  return (
    <>
      <Field label="Provider">
        {(id) => (
          <select id={id} value={str("provider")} onChange={(e) => set({ provider: e.target.value })}>
            {catalog.providers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
                {p.simulated ? " (simulated)" : ""}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Model"
        hint={models.length ? "Priced models are suggested; others get an unknown cost." : undefined}
      >
        {(id) => (
          <>
            <input
              id={id}
              list={`${id}-models`}
              value={str("model")}
              onChange={(e) => set({ model: e.target.value })}
            />
            <datalist id={`${id}-models`}>
              {models.map((m) => (
                <option key={m.model} value={m.model} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </>
  );
}

export function LlmPromptFields({ str, set, suggestions }: KindFieldsProps) {
  return (
    <>
      <Field label="System">
        {(id) => <textarea id={id} rows={2} value={str("system")} onChange={(e) => set({ system: e.target.value })} />}
      </Field>
      <Field
        label="Prompt"
        hint="Optional; defaults to the node's inputs. Templates: {{node.<id>.output}}, {{input.<name>}}"
      >
        {(id) => (
          <textarea
            id={id}
            rows={3}
            value={str("prompt")}
            onChange={(e) => set({ prompt: e.target.value || undefined })}
          />
        )}
      </Field>
      <TemplateHints suggestions={suggestions} onInsert={(t) => set({ prompt: `${str("prompt")}${t}` })} />
    </>
  );
}

function LlmCallFields({ cfg, str, set, catalog }: KindFieldsProps) {
  const simulated = catalog.providers.find((p) => p.name === str("provider"))?.simulated;
  return (
    <>
      <div className="row">
        <Field label="Temperature">
          {(id) => (
            <input
              id={id}
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={typeof cfg.temperature === "number" ? cfg.temperature : ""}
              onChange={(e) => set({ temperature: numberOrUndefined(e.target.value) })}
            />
          )}
        </Field>
        <Field label="Max tokens">
          {(id) => (
            <input
              id={id}
              type="number"
              min={1}
              value={typeof cfg.maxTokens === "number" ? cfg.maxTokens : ""}
              onChange={(e) => set({ maxTokens: numberOrUndefined(e.target.value) })}
            />
          )}
        </Field>
      </div>
      {simulated && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={typeof cfg.fault === "string"}
            onChange={(e) => set({ fault: e.target.checked ? "status=503;count=3" : undefined })}
          />
          Force a provider error (simulator only: the primary provider answers 503 three times)
        </label>
      )}
      <Field label="Cache">
        {(id) => (
          <select
            id={id}
            value={cfg.cache === false ? "off" : "on"}
            onChange={(e) => set({ cache: e.target.value === "off" ? false : undefined })}
          >
            <option value="on">on (exact match)</option>
            <option value="off">off</option>
          </select>
        )}
      </Field>
    </>
  );
}

function LlmFields(props: KindFieldsProps) {
  return (
    <>
      <LlmModelFields {...props} />
      <LlmPromptFields {...props} />
      <LlmCallFields {...props} />
    </>
  );
}

export const llmKind: NodeKindUi = {
  defaultConfig: { provider: "openai", model: "gpt-4o-mini", system: "Be concise" },
  promptOverrides: true,
  hasInputs: true,
  Fields: LlmFields,
};
