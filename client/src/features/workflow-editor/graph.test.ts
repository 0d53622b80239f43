import { describe, expect, it } from "vitest";
import {
  addNode,
  autoLayout,
  connect,
  emptyDoc,
  inputNames,
  issueTarget,
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

  it("lays out by level, top to bottom (inputs on top, outputs below)", () => {
    let doc = addNode(addNode(addNode(addNode(emptyDoc(), "tool"), "llm"), "llm"), "router");
    doc = connect(connect(doc, "tool_1", "llm_1"), "tool_1", "llm_2");
    doc = connect(connect(doc, "llm_1", "router_1"), "llm_2", "router_1");
    const laid = autoLayout(doc);
    expect(laid.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 110 },
      { x: 220, y: 110 },
      { x: 0, y: 220 },
    ]);
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
});
