/**
 * What a node kind's validation rules get: the server's context (tools, providers), a way to add an
 * issue at a path, the node's own path, and the template check every kind shares (references to
 * unknown, own or non-upstream nodes).
 */
import { scanTemplate } from "./templates.ts";
import type { ToolCatalog } from "./tool-catalog.ts";

export interface ValidationIssue {
  path: string;
  message: string;
}

/** Server-wide ceilings; a document's limits may not exceed them. */
export interface ServerCaps {
  maxNodes: number;
  maxTokens: number;
  timeoutSeconds: number;
  maxCostCents: number;
}

export interface ValidationContext {
  tools: ToolCatalog;
  /** Known provider names; when omitted, provider names are not checked. */
  providers?: readonly string[];
  caps?: ServerCaps;
  /** The project's MCP server names; when omitted, server names are not checked (the worker checks them). */
  mcpServers?: readonly string[];
}

/** Which nodes are upstream of which (compile.ts's AncestorIndex); null while the graph has a cycle. */
export interface Ancestors {
  has(nodeId: string, ancestorId: string): boolean;
}

export interface NodeCheck {
  ctx: ValidationContext;
  add: (path: PropertyKey[], message: string) => void;
  /** The path of a part of this node: `at("config", "model")` → nodes[i].config.model. */
  at: (...rest: PropertyKey[]) => PropertyKey[];
  /** Check a template of this node at `path`. */
  templates: (text: string, path: PropertyKey[]) => void;
}

/** Identifiers a router rule or an edge condition may read, for a node (as the scope's owner). */
export function expressionScope(
  node: { inputs?: Record<string, unknown> | undefined },
  withBranch: boolean,
): Set<string> {
  const names = new Set(["inputs", "input", "output"]);
  for (const k of Object.keys(node.inputs ?? {})) names.add(k);
  if (withBranch) names.add("branch");
  return names;
}

/** Template references of `node` at `path`: each must name a node upstream of it. */
export function checkTemplates(
  node: { id: string },
  text: string,
  path: PropertyKey[],
  c: { add: NodeCheck["add"]; idIndex: Map<string, number>; ancestors: Ancestors | null },
) {
  const { refs, problems } = scanTemplate(text);
  for (const p of problems) c.add(path, p.message);
  for (const ref of refs) {
    if (ref.kind !== "node") continue;
    if (!c.idIndex.has(ref.nodeId)) {
      c.add(path, `${ref.raw} refers to unknown node '${ref.nodeId}'`);
    } else if (ref.nodeId === node.id) {
      c.add(path, `${ref.raw} refers to this node's own output`);
    } else if (c.ancestors && !c.ancestors.has(node.id, ref.nodeId)) {
      c.add(path, `${ref.raw} refers to node '${ref.nodeId}', which is not upstream of '${node.id}'`);
    }
  }
}
