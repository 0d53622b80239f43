import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { type Client, type Operation, Provider as UrqlProvider } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import { emptyDoc } from "./graph.ts";
import { isEditableDoc, JsonTab } from "./JsonTab.tsx";

/** A urql client answering validateWorkflow the way the server does for a document without nodes. */
function validatingClient() {
  const asked: unknown[] = [];
  const client = {
    executeQuery: (op: Operation) => {
      asked.push(op.variables?.graph);
      return fromValue({
        operation: op,
        stale: false,
        hasNext: false,
        data: { validateWorkflow: [{ path: "nodes", message: "expected an array of nodes" }] },
      });
    },
  } as unknown as Client;
  return { client, asked };
}

describe("the editor's JSON tab", () => {
  afterEach(cleanup);

  it("shows the validation issues of a document the canvas cannot draw ({}), instead of blanking the page", async () => {
    const { client, asked } = validatingClient();
    const onChange = vi.fn();
    render(
      <UrqlProvider value={client}>
        <JsonTab doc={emptyDoc()} onChange={onChange} />
      </UrqlProvider>,
    );
    fireEvent.change(screen.getByLabelText("Workflow document (JSON)"), { target: { value: "{}" } });
    await waitFor(() =>
      expect(screen.getByTestId("json-issues").textContent).toMatch(/nodes: expected an array of nodes/),
    );
    expect(onChange).not.toHaveBeenCalled();
    expect(asked).toEqual([{}]);
  });

  it("hands a drawable document to the canvas, and says when the JSON does not parse", () => {
    const { client } = validatingClient();
    const onChange = vi.fn();
    render(
      <UrqlProvider value={client}>
        <JsonTab doc={emptyDoc()} onChange={onChange} />
      </UrqlProvider>,
    );
    const box = screen.getByLabelText("Workflow document (JSON)");
    fireEvent.change(box, { target: { value: '{"version":"1","entry":"a","nodes":[{"id":"a","type":"llm"}]}' } });
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ nodes: [{ id: "a", type: "llm" }], edges: [] }));
    fireEvent.change(box, { target: { value: "{" } });
    expect(document.querySelector(".json-tab .error")?.textContent).toMatch(/JSON|Expected/);
  });

  it("knows which values the canvas can hold", () => {
    expect(isEditableDoc({})).toBe(false);
    expect(isEditableDoc([])).toBe(false);
    expect(isEditableDoc(null)).toBe(false);
    expect(isEditableDoc({ nodes: [{}] })).toBe(false);
    expect(isEditableDoc({ nodes: [{ id: "a" }], edges: [{ from: "a" }] })).toBe(false);
    expect(isEditableDoc({ nodes: [] })).toBe(true);
  });
});
