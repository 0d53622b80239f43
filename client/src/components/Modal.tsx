import { type ReactNode, useEffect, useRef } from "react";

/**
 * A modal dialog on the browser's own `<dialog>` (showModal): focus moves into it, Tab stays in it
 * (the page behind is inert), Escape closes it, and focus returns to what opened it.
 */
export function Modal(props: { label: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal?.();
    // Escape: the browser would close the dialog behind React's back; let the owner close it instead.
    const cancel = (e: Event) => {
      e.preventDefault();
      onClose.current();
    };
    dialog?.addEventListener("cancel", cancel);
    return () => {
      dialog?.removeEventListener("cancel", cancel);
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-label={props.label}>
      {props.children}
    </dialog>
  );
}
