/** Workflow documents for tests, built from a few calls instead of repeated literals. */

export interface TestNode {
  id: string;
  type: "llm" | "tool" | "router";
  name: string;
  config: Record<string, unknown>;
  inputs?: Record<string, unknown>;
}

/** An LLM node; its input is the previous node's output (`after`) or the run's `topic`. */
export function llmNode(
  id: string,
  config: { provider?: string; model?: string } & Record<string, unknown> = {},
  options: { after?: string; name?: string } = {},
): TestNode {
  return {
    id,
    type: "llm",
    name: options.name ?? id.toUpperCase(),
    config: { provider: "openai", model: "gpt-4o-mini", ...config },
    inputs: { text: options.after ? `{{node.${options.after}.output}}` : "{{input.topic}}" },
  };
}

/** A router node whose rule reads the previous node's output as `text`. */
export function routerNode(id: string, rule: string, options: { after: string; name?: string }): TestNode {
  return {
    id,
    type: "router",
    name: options.name ?? id.toUpperCase(),
    config: { rule },
    inputs: { text: `{{node.${options.after}.output}}` },
  };
}

/**
 * The nodes one after another (each edge from a node to the next), starting at the first; `when`
 * puts a condition on edge i (from node i to node i+1).
 */
export function chainOf(nodes: TestNode[], extra: { when?: Record<number, string> } & Record<string, unknown> = {}) {
  const { when = {}, ...rest } = extra;
  return {
    version: "1",
    entry: nodes[0]?.id ?? "",
    nodes,
    edges: nodes.slice(1).map((n, i) => ({
      from: (nodes[i] as TestNode).id,
      to: n.id,
      ...(when[i] ? { when: when[i] } : {}),
    })),
    ...rest,
  };
}
