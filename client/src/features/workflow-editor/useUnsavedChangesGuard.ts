/**
 * Unsaved changes are not lost by accident: leaving the editor in the app (a link, back/forward)
 * asks first, and reloading or closing the tab gets the browser's own prompt. `clear()` lets a
 * navigation right after a save through before React has re-rendered the draft as clean.
 */
import { useBlocker } from "@tanstack/react-router";
import { useRef } from "react";

export const LEAVE_PROMPT = "This workflow has unsaved changes. Leave the editor and lose them?";

export function useUnsavedChangesGuard(dirty: boolean) {
  const dirtyNow = useRef(dirty);
  dirtyNow.current = dirty;
  useBlocker({
    shouldBlockFn: () => dirtyNow.current && !window.confirm(LEAVE_PROMPT),
    enableBeforeUnload: () => dirtyNow.current,
  });
  return {
    clear: () => {
      dirtyNow.current = false;
    },
  };
}
