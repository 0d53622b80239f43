/** The `router` kind in the editor: the rule whose value is `branch`. */
import { Field, type KindFieldsProps } from "./fields.tsx";
import type { NodeKindUi } from "./types.ts";

function RouterFields({ str, set }: KindFieldsProps) {
  return (
    <Field label="Rule" hint="An expression; its value becomes `branch`, e.g. len(text) > 2000 ? 'deep' : 'shallow'">
      {(id) => <input id={id} value={str("rule")} onChange={(e) => set({ rule: e.target.value })} />}
    </Field>
  );
}

export const routerKind: NodeKindUi = {
  defaultConfig: { rule: "len(text) > 100 ? 'long' : 'short'" },
  promptOverrides: false,
  hasInputs: true,
  Fields: RouterFields,
};
