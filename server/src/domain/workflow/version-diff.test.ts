import { describe, expect, it } from "vitest";
import { diffWorkflows, isEmptyDiff } from "./version-diff.ts";

const v1 = {
  version: "1",
  entry: "fetch",
  nodes: [
    { id: "fetch", type: "tool", name: "Fetch", config: { tool: "http.fetch", url: "https://a" } },
    { id: "sum", type: "llm", name: "Sum", config: { provider: "openai", model: "gpt-4o-mini" } },
    { id: "old", type: "llm", name: "Old", config: { provider: "openai", model: "gpt-4o-mini" } },
  ],
  edges: [
    { from: "fetch", to: "sum" },
    { from: "fetch", to: "old", when: "output.status == 200" },
  ],
};

describe("workflow version diff", () => {
  it("lists nodes added, removed and changed with paths, edges added and removed, settings", () => {
    const v2 = structuredClone(v1) as typeof v1 & { limits?: object };
    v2.nodes[1] = { ...v2.nodes[1], config: { provider: "openai", model: "gpt-4o" } } as (typeof v1.nodes)[1];
    v2.nodes = v2.nodes.filter((n) => n.id !== "old");
    v2.nodes.push({ id: "new", type: "llm", name: "New", config: { provider: "anthropic", model: "claude" } });
    v2.edges = [
      { from: "fetch", to: "sum" },
      { from: "fetch", to: "new", when: "output.status == 200" },
    ];
    v2.limits = { maxTokens: 1000 };
    const d = diffWorkflows(v1, v2);
    expect(d.nodes.added.map((n) => n.id)).toEqual(["new"]);
    expect(d.nodes.removed.map((n) => n.id)).toEqual(["old"]);
    expect(d.nodes.changed).toEqual([
      { id: "sum", changes: [{ path: "config.model", old: "gpt-4o-mini", new: "gpt-4o" }] },
    ]);
    expect(d.edges).toEqual({
      added: [{ from: "fetch", to: "new", when: "output.status == 200" }],
      removed: [{ from: "fetch", to: "old", when: "output.status == 200" }],
    });
    expect(d.settings).toEqual([{ path: "limits", new: { maxTokens: 1000 } }]);
    expect(isEmptyDiff(d)).toBe(false);
  });

  it("a changed edge condition is the old edge removed and the new one added", () => {
    const v2 = structuredClone(v1);
    v2.edges[1] = { from: "fetch", to: "old", when: "output.status != 200" };
    const d = diffWorkflows(v1, v2);
    expect(d.edges.removed).toEqual([v1.edges[1]]);
    expect(d.edges.added).toEqual([v2.edges[1]]);
  });

  it("is empty for the same document", () => {
    expect(isEmptyDiff(diffWorkflows(v1, structuredClone(v1)))).toBe(true);
  });
});
