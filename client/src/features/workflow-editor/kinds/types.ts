import type { ComponentType } from "react";
import type { KindFieldsProps } from "./fields.tsx";

/** A node kind in the editor: what a new node starts with, whether it takes named inputs, its form. */
export interface NodeKindUi {
  defaultConfig: Record<string, unknown>;
  /** Shows the named-inputs editor (a tool's arguments take templates directly instead). */
  hasInputs: boolean;
  Fields: ComponentType<KindFieldsProps>;
  /** "Re-run from here" offers its system prompt, prompt, model and temperature for editing. */
  promptOverrides: boolean;
}
