/**
 * Sub-workflow calls checked against the project: every called workflow exists, no chain calls
 * back into itself (A → B → A), and none nests deeper than the limit — refused with the chain
 * named, when a workflow is saved and when a run starts.
 */

import type { PrismaClient } from "../db/prisma.ts";
import { callChainProblem, mcpServersNamed } from "../domain/workflow/calls.ts";
import { validateWorkflow } from "../domain/workflow/validate.ts";
import { toolCatalog } from "../tools/registry.ts";
import { InvalidWorkflowError } from "./errors.ts";

/** FLOWTRACE_SUBWORKFLOW_MAX_DEPTH's default. */
export const DEFAULT_MAX_DEPTH = 5;

export async function assertCallChain(
  prisma: PrismaClient,
  root: { id: string | null; name: string; graph: unknown },
  maxDepth = DEFAULT_MAX_DEPTH,
): Promise<void> {
  const checked = validateWorkflow(root.graph, { tools: toolCatalog });
  if (!checked.ok) return; // the document's own issues are reported by its validation
  const read = async (id: string) => {
    const row = await prisma.workflow.findFirst({ where: { id } });
    if (!row) return null;
    const doc = validateWorkflow(row.graphJson, { tools: toolCatalog });
    return doc.ok ? { name: row.name, doc: doc.workflow } : { name: row.name, doc: { ...doc, nodes: [] } as never };
  };
  const problem = await callChainProblem({ id: root.id, name: root.name, doc: checked.workflow }, read, maxDepth);
  if (problem) throw new InvalidWorkflowError([problem]);
}

/** The MCP servers a document names (tool nodes and agent tools) that the project has not registered. */
export async function assertMcpServers(prisma: PrismaClient, graph: unknown): Promise<void> {
  const checked = validateWorkflow(graph, { tools: toolCatalog });
  if (!checked.ok) return;
  const named = mcpServersNamed(checked.workflow);
  if (named.length === 0) return;
  const known = (await prisma.mcpServer.findMany({ select: { name: true } })).map((s) => s.name);
  const again = validateWorkflow(graph, { tools: toolCatalog, mcpServers: known });
  if (!again.ok) throw new InvalidWorkflowError(again.issues);
}
