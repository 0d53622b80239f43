import { describe, expect, it } from "vitest";
import {
  addNode,
  applyCanvasEdgeChanges,
  applyCanvasNodeChanges,
  autoLayout,
  connect,
  emptyDoc,
  inputNames,
  issueTarget,
  NODE_BOX,
  removeNode,
  templateSuggestions,
} from "./graph.ts";

describe("editor graph helpers", () => {
  it("adds nodes with defaults, sets the entry, connects and removes", () => {
    let doc = addNode(emptyDoc(), "llm");
    doc = addNode(doc, "router");
    doc = connect(connect(doc, "llm_1", "router_1"), "llm_1", "router_1");
    expect(doc.entry).toBe("llm_1");
    expect(doc.edges).toEqual([{ from: "llm_1", to: "router_1" }]);
    expect(doc.nodes[0]?.config).toMatchObject({ provider: "openai", model: "gpt-4o-mini" });
    doc = removeNode(doc, "llm_1");
    expect(doc.entry).toBe("router_1");
    expect(doc.edges).toEqual([]);
  });

  it("lays out by level, top to bottom (inputs on top, outputs below), a join centred under its branches", () => {
    let doc = addNode(addNode(addNode(addNode(emptyDoc(), "tool"), "llm"), "llm"), "router");
    doc = connect(connect(doc, "tool_1", "llm_1"), "tool_1", "llm_2");
    doc = connect(connect(doc, "llm_1", "router_1"), "llm_2", "router_1");
    const at = new Map(autoLayout(doc).nodes.map((n) => [n.id, n.position as { x: number; y: number }]));
    const [tool, a, b, join] = ["tool_1", "llm_1", "llm_2", "router_1"].map(
      (id) => at.get(id) as { x: number; y: number },
    );
    // Every edge points down, a level at a time; the two branches share a level side by side.
    expect(a?.y).toBe(b?.y);
    expect((a?.y ?? 0) - (tool?.y ?? 0)).toBeGreaterThanOrEqual(NODE_BOX.height);
    expect((join?.y ?? 0) - (a?.y ?? 0)).toBe((a?.y ?? 0) - (tool?.y ?? 0));
    expect(Math.abs((a?.x ?? 0) - (b?.x ?? 0))).toBeGreaterThanOrEqual(NODE_BOX.width);
    // The fan-out's source and the join sit centred over and under the branches: no edge crosses.
    const middle = ((a?.x ?? 0) + (b?.x ?? 0)) / 2;
    expect(Math.abs((tool?.x ?? 0) - middle)).toBeLessThanOrEqual(1);
    expect(Math.abs((join?.x ?? 0) - middle)).toBeLessThanOrEqual(1);
  });

  it("lays out a cycle (an invalid document) without looping", () => {
    let doc = addNode(addNode(emptyDoc(), "llm"), "llm");
    doc = connect(connect(doc, "llm_1", "llm_2"), "llm_2", "llm_1");
    expect(autoLayout(doc).nodes.every((n) => Number.isFinite(n.position?.x) && Number.isFinite(n.position?.y))).toBe(
      true,
    );
  });

  it("locates issues and suggests upstream templates and inputs", () => {
    let doc = addNode(addNode(emptyDoc(), "llm"), "llm");
    doc = connect(doc, "llm_1", "llm_2");
    (doc.nodes[0] as { inputs: Record<string, unknown> }).inputs = { text: "{{input.question}}" };
    expect(issueTarget(doc, "nodes[1].config.model")).toEqual({ node: "llm_2" });
    expect(issueTarget(doc, "edges[0].when")).toEqual({ edge: 0 });
    expect(templateSuggestions(doc, "llm_2")).toEqual([
      "{{node.llm_1.output}}",
      "{{input.question}}",
      "{{input.topic}}",
    ]);
    expect(inputNames(doc)).toEqual(["question"]);
  });

  it("applies the canvas's moves and removals to the document, and nothing else", () => {
    let doc = addNode(addNode(emptyDoc(), "llm"), "llm");
    doc = connect(doc, "llm_1", "llm_2");
    const moved = applyCanvasNodeChanges(doc, [{ type: "position", id: "llm_2", position: { x: 5, y: 9 } }]);
    expect(moved.nodes[1]?.position).toEqual({ x: 5, y: 9 });
    expect(
      applyCanvasNodeChanges(doc, [
        { type: "select", id: "llm_1" },
        { type: "dimensions", id: "llm_1" },
      ]),
    ).toBe(doc);
    const removed = applyCanvasNodeChanges(doc, [{ type: "remove", id: "llm_1" }]);
    expect(removed.nodes.map((n) => n.id)).toEqual(["llm_2"]);
    expect(removed.edges).toEqual([]);
    expect(applyCanvasEdgeChanges(doc, [{ type: "remove", id: "e0" }]).edges).toEqual([]);
    expect(applyCanvasEdgeChanges(doc, [{ type: "select", id: "e0" }])).toBe(doc);
  });
});
