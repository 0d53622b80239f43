import { useState } from "react";

/** Copies text to the clipboard and says whether it worked. */
export function CopyButton(props: { text: () => string; label: string; children?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = () =>
    navigator.clipboard
      .writeText(props.text())
      .then(() => setState("copied"))
      .catch(() => setState("failed"))
      .finally(() => setTimeout(() => setState("idle"), 1500));
  return (
    <button type="button" className="copy" aria-label={props.label} onClick={copy}>
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : (props.children ?? "Copy")}
    </button>
  );
}
