/** What a page shows when it throws: the error, and a way back, instead of a blank screen. */
import type { FallbackProps } from "react-error-boundary";
import { describeError } from "../lib/errors.ts";

export function PageError(props: FallbackProps) {
  const message = describeError(props.error);
  return (
    <div className="card error" role="alert" data-testid="page-error">
      <h2>This page hit an error</h2>
      <p>
        <code>{message}</code>
      </p>
      <p>Your saved work is safe on the server. Reload the page, or go back to the workflows.</p>
      <button type="button" onClick={props.resetErrorBoundary}>
        Try again
      </button>
    </div>
  );
}
