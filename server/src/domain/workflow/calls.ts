/**
 * Which workflows a document calls (its `workflow` nodes), and the first call chain that loops back
 * or runs deeper than a limit, given a way to read the documents it calls. Pure: the reader is
 * handed in (services/workflow-calls.ts reads them from the project).
 */
import type { Workflow } from "@flowtrace/contract/workflow";
import { kindOf } from "./kinds/index.ts";

/** The workflow ids a document's nodes call, with the path of each node. */
export function workflowCalls(doc: Workflow): { workflowId: string; path: string }[] {
  return doc.nodes.flatMap((n, i) =>
    (kindOf(n).calls?.(n) ?? []).map((workflowId) => ({ workflowId, path: `nodes[${i}].config.workflow` })),
  );
}

export type CallProblem = { path: string; message: string };

/**
 * Walk the calls from `root` depth-first; a workflow met again on the chain is a cycle, a chain
 * longer than `maxDepth` calls is too deep, a missing workflow is named. Names come from `nameOf`.
 */
export async function callChainProblem(
  root: { id: string | null; name: string; doc: Workflow },
  read: (id: string) => Promise<{ name: string; doc: Workflow } | null>,
  maxDepth: number,
): Promise<CallProblem | null> {
  type Chain = { id: string | null; name: string }[];
  const walk = async (doc: Workflow, chain: Chain, path: string | null): Promise<CallProblem | null> => {
    for (const call of workflowCalls(doc)) {
      const where = path ?? call.path;
      const child = await read(call.workflowId);
      if (!child) return { path: where, message: `workflow ${call.workflowId} does not exist in this project` };
      const names = [...chain.map((c) => c.name), child.name].join(" → ");
      if (chain.some((c) => c.id === call.workflowId)) return { path: where, message: `calls itself: ${names}` };
      if (chain.length > maxDepth) {
        return { path: where, message: `sub-workflows nest deeper than ${maxDepth}: ${names}` };
      }
      const found: CallProblem | null = await walk(
        child.doc,
        [...chain, { id: call.workflowId, name: child.name }],
        where,
      );
      if (found) return found;
    }
    return null;
  };
  return walk(root.doc, [{ id: root.id, name: root.name }], null);
}

/** The MCP server names a document's tool nodes and agent tools use. */
export function mcpServersNamed(doc: Workflow): string[] {
  const names = new Set<string>();
  for (const n of doc.nodes) {
    const config = n.config as { mcp?: unknown; tools?: unknown };
    if (typeof config.mcp === "string") names.add(config.mcp);
    if (Array.isArray(config.tools)) {
      for (const t of config.tools) if (t && typeof t === "object" && typeof t.mcp === "string") names.add(t.mcp);
    }
  }
  return [...names];
}
