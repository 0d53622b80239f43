import { describe, expect, it } from "vitest";
import { type Draft, draftReducer, initialDraft } from "./draft.ts";
import { emptyDoc } from "./graph.ts";

const apply = (draft: Draft, ...actions: Parameters<typeof draftReducer>[1][]) => actions.reduce(draftReducer, draft);

describe("the editor's draft", () => {
  it("starts clean; adding a node selects it, makes it the entry and marks the draft dirty", () => {
    const start = initialDraft("Untitled", emptyDoc());
    expect(start.dirty).toBe(false);
    const next = apply(start, { type: "addNode", nodeType: "llm" });
    expect(next.doc.nodes.map((n) => n.id)).toEqual(["llm_1"]);
    expect(next.doc.entry).toBe("llm_1");
    expect(next.selected).toEqual({ node: "llm_1" });
    expect(next.dirty).toBe(true);
  });

  it("connects, edits and removes edges and nodes, clearing a selection that no longer exists", () => {
    const two = apply(
      initialDraft("x", emptyDoc()),
      { type: "addNode", nodeType: "llm" },
      { type: "addNode", nodeType: "tool" },
      { type: "connect", source: "llm_1", target: "tool_1" },
    );
    expect(two.doc.edges).toEqual([{ from: "llm_1", to: "tool_1" }]);
    const conditioned = draftReducer(two, {
      type: "updateEdge",
      index: 0,
      edge: { from: "llm_1", to: "tool_1", when: "true" },
    });
    expect(conditioned.doc.edges[0]?.when).toBe("true");
    const noEdge = draftReducer({ ...conditioned, selected: { edge: 0 } }, { type: "removeEdge", index: 0 });
    expect(noEdge.doc.edges).toEqual([]);
    expect(noEdge.selected).toBeNull();
    const oneNode = draftReducer(two, { type: "removeNode", id: "tool_1" });
    expect(oneNode.doc.nodes.map((n) => n.id)).toEqual(["llm_1"]);
    expect(oneNode.doc.edges).toEqual([]);
  });

  it("moves nodes from canvas changes and ignores changes that touch nothing", () => {
    const one = apply(initialDraft("x", emptyDoc()), { type: "addNode", nodeType: "router" }, { type: "saved" });
    expect(one.dirty).toBe(false);
    const same = draftReducer(one, { type: "canvasNodes", changes: [{ type: "select", id: "router_1" }] });
    expect(same).toBe(one);
    const moved = draftReducer(one, {
      type: "canvasNodes",
      changes: [{ type: "position", id: "router_1", position: { x: 5, y: 7 } }],
    });
    expect(moved.doc.nodes[0]?.position).toEqual({ x: 5, y: 7 });
    expect(moved.dirty).toBe(true);
  });

  it("renames and saves: the name marks the draft dirty, a save clears it", () => {
    const renamed = draftReducer(initialDraft("a", emptyDoc()), { type: "rename", name: "b" });
    expect(renamed).toMatchObject({ name: "b", dirty: true });
    expect(draftReducer(renamed, { type: "saved" }).dirty).toBe(false);
  });
});
