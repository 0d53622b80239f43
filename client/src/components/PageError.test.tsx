import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { ErrorBoundary } from "react-error-boundary";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PageError } from "./PageError.tsx";

function Fragile(props: { broken: boolean }) {
  if (props.broken) throw new Error("nodes is undefined");
  return <p>fine</p>;
}

function Harness() {
  const [broken, setBroken] = useState(true);
  return (
    <ErrorBoundary FallbackComponent={PageError} onReset={() => setBroken(false)}>
      <Fragile broken={broken} />
    </ErrorBoundary>
  );
}

describe("PageError", () => {
  afterEach(cleanup);

  it("shows a page's error instead of a blank screen, and recovers on retry", () => {
    vi.spyOn(console, "error").mockImplementation(() => {}); // React logs caught errors
    render(<Harness />);
    expect(screen.getByTestId("page-error").textContent).toMatch(/nodes is undefined/);
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByText("fine")).toBeTruthy();
  });
});
