import type { ReactNode } from "react";

/**
 * A block whose content may scroll (code, output, JSON): keyboard users reach it with Tab and scroll
 * it with the arrow keys, and screen readers announce it by name (WCAG 2.1.1; axe
 * `scrollable-region-focusable`). Every scrollable block in the dashboard goes through this.
 */
export function ScrollArea(props: {
  label: string;
  as?: "pre" | "div";
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  const Tag = props.as ?? "pre";
  return (
    <Tag tabIndex={0} role="region" aria-label={props.label} className={props.className} data-testid={props.testId}>
      {props.children}
    </Tag>
  );
}
