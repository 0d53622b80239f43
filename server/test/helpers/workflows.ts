/** Workflow documents for tests, built from a few calls instead of repeated literals. */

export interface TestNode {
  id: string;
  type: "llm" | "tool" | "router" | "approval";
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

/** An approval node showing the previous node's output as `draft`. */
export function approvalNode(
  id: string,
  options: { after: string; timeoutSeconds?: number; onTimeout?: "reject" | "approve" | "fail"; message?: string },
): TestNode {
  const { after, message, ...timeout } = options;
  return {
    id,
    type: "approval",
    name: id.toUpperCase(),
    config: { message: message ?? `Publish this? {{node.${after}.output}}`, ...timeout },
    inputs: { draft: `{{node.${after}.output}}` },
  };
}

/** Draft → Approve → Publish (approved) / Revise (rejected): the gate and both branches. */
export function gatedWorkflow(approval: Partial<Parameters<typeof approvalNode>[1]> = {}) {
  const draft = llmNode("draft", { prompt: "DRAFT {{input.topic}}" });
  const gate = approvalNode("gate", { after: "draft", ...approval });
  const publish = llmNode("publish", { prompt: "PUBLISH {{node.draft.output}}" }, { after: "draft" });
  const revise = llmNode("revise", { prompt: "REVISE {{node.draft.output}}" }, { after: "draft" });
  return {
    version: "1",
    entry: "draft",
    nodes: [draft, gate, publish, revise],
    edges: [
      { from: "draft", to: "gate" },
      { from: "gate", to: "publish", when: "branch == 'approved'" },
      { from: "gate", to: "revise", when: "branch == 'rejected'" },
    ],
  };
}
