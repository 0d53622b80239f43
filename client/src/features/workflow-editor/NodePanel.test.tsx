import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { DocNode } from "./graph.ts";
import { EdgePanel, NodePanel } from "./NodePanel.tsx";

const catalog = {
  providers: [
    { name: "openai", simulated: true },
    { name: "anthropic", simulated: true },
  ],
  models: [{ provider: "openai", model: "gpt-4o-mini" }],
};

const llm: DocNode = {
  id: "llm_1",
  type: "llm",
  name: "Summarise",
  config: { provider: "openai", model: "gpt-4o-mini" },
  inputs: {},
};

describe("NodePanel", () => {
  it("edits an llm node's provider, model, prompt (with template completion) and inputs", () => {
    const onChange = vi.fn();
    render(
      <NodePanel
        node={llm}
        isEntry
        catalog={catalog}
        suggestions={["{{node.fetch.output}}", "{{input.topic}}"]}
        issues={["nodes[0].config.model: expected a model name"]}
        onChange={onChange}
        onDelete={() => {}}
        onMakeEntry={() => {}}
      />,
    );
    expect(screen.getByText("nodes[0].config.model: expected a model name")).toBeTruthy();
    expect(screen.getByRole("option", { name: "openai (simulated)" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Provider"), { target: { value: "anthropic" } });
    expect(onChange).toHaveBeenLastCalledWith({ ...llm, config: { provider: "anthropic", model: "gpt-4o-mini" } });
    fireEvent.click(screen.getByRole("button", { name: "{{input.topic}}" }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...llm,
      config: { provider: "openai", model: "gpt-4o-mini", prompt: "{{input.topic}}" },
    });
    fireEvent.click(screen.getByRole("button", { name: "+ Add input" }));
    expect(onChange).toHaveBeenLastCalledWith({ ...llm, inputs: { text: "{{node.fetch.output}}" } });
  });

  it("edits a router rule and a tool choice", () => {
    const onChange = vi.fn();
    const router: DocNode = { id: "r", type: "router", name: "R", config: { rule: "1" }, inputs: {} };
    const { rerender } = render(
      <NodePanel
        node={router}
        isEntry={false}
        catalog={catalog}
        suggestions={[]}
        issues={[]}
        onChange={onChange}
        onDelete={() => {}}
        onMakeEntry={() => {}}
      />,
    );
    fireEvent.change(screen.getByLabelText("Rule"), { target: { value: "len(text) > 5" } });
    expect(onChange).toHaveBeenLastCalledWith({ ...router, config: { rule: "len(text) > 5" } });
    const tool: DocNode = { id: "t", type: "tool", name: "T", config: { tool: "http.fetch", url: "https://x" } };
    rerender(
      <NodePanel
        node={tool}
        isEntry
        catalog={catalog}
        suggestions={[]}
        issues={[]}
        onChange={onChange}
        onDelete={() => {}}
        onMakeEntry={() => {}}
      />,
    );
    fireEvent.change(screen.getByLabelText("Tool"), { target: { value: "csv.parse" } });
    expect(onChange).toHaveBeenLastCalledWith({ ...tool, config: { tool: "csv.parse", url: "https://x" } });
  });
});

describe("EdgePanel", () => {
  it("edits and clears an edge condition", () => {
    const onChange = vi.fn();
    render(
      <EdgePanel
        edge={{ from: "a", to: "b" }}
        index={0}
        issues={["edges[0].when: bad"]}
        onChange={onChange}
        onDelete={() => {}}
      />,
    );
    expect(screen.getByText("edges[0].when: bad")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("When"), { target: { value: "branch == 'x'" } });
    expect(onChange).toHaveBeenLastCalledWith({ from: "a", to: "b", when: "branch == 'x'" });
  });
});
