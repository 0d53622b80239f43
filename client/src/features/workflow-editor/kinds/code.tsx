/** The `code` kind in the editor: the JavaScript function body, and its time and memory limits. */
import { Field, type KindFieldsProps, NumberField } from "./fields.tsx";
import type { NodeKindUi } from "./types.ts";

const HINT =
  "A function body returning JSON. It sees input (the run's inputs), inputs (this node's inputs) and node.<id>.output of upstream nodes; console.log lines go to the trace. No network or files; Math.random and Date are fixed per run.";

function CodeFields({ cfg, str, set }: KindFieldsProps) {
  return (
    <>
      <Field label="JavaScript" hint={HINT}>
        {(id) => (
          <textarea
            id={id}
            className="code-source"
            rows={10}
            spellCheck={false}
            value={str("source")}
            onChange={(e) => set({ source: e.target.value })}
          />
        )}
      </Field>
      <NumberField
        label="Time limit (ms)"
        hint="Stopped after this long (10 – 30,000; default 1,000)."
        value={cfg.timeoutMs}
        min={10}
        max={30000}
        onChange={(timeoutMs) => set({ timeoutMs })}
      />
      <NumberField
        label="Memory limit (MB)"
        hint="1 – 256; default 32."
        value={cfg.memoryMb}
        min={1}
        max={256}
        onChange={(memoryMb) => set({ memoryMb })}
      />
    </>
  );
}

export const codeKind: NodeKindUi = {
  defaultConfig: { language: "javascript", source: "return inputs;" },
  promptOverrides: false,
  hasInputs: true,
  Fields: CodeFields,
};
