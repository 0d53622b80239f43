/** Workflow use cases shared by GraphQL and REST: validation happens here, once. */

import type { Prisma, PrismaClient } from "../db/prisma.ts";
import { CALLER_PROJECT } from "../db/project-scope.ts";
import { pathChanges } from "../domain/diff.ts";
import type { Uuid } from "../domain/ids.ts";
import { exportWorkflow } from "../domain/workflow/io.ts";
import { type ValidationIssue, validateWorkflow } from "../domain/workflow/validate.ts";
import { toolCatalog } from "../tools/registry.ts";
import { audit } from "./audit.ts";
import { InvalidWorkflowError, NotFoundError } from "./runs.ts";
import { assertCallChain, assertMcpServers } from "./workflow-calls.ts";

export interface WorkflowServiceDeps {
  prisma: PrismaClient;
  providerNames: () => string[];
}

export function checkWorkflow(deps: WorkflowServiceDeps, graph: unknown): ValidationIssue[] {
  const r = validateWorkflow(graph, { tools: toolCatalog, providers: deps.providerNames() });
  return r.ok ? [] : r.issues;
}

/** The document as stored: validated, in canonical key order. */
function canonical(deps: WorkflowServiceDeps, graph: unknown): object {
  const issues = checkWorkflow(deps, graph);
  if (issues.length > 0) throw new InvalidWorkflowError(issues);
  return JSON.parse(exportWorkflow(graph as Record<string, unknown>)) as object;
}

export async function createWorkflow(
  deps: WorkflowServiceDeps,
  input: {
    name: string;
    description?: string | null;
    graph: unknown;
    ownerId?: string | null;
    message?: string | null;
    exposeAsTool?: boolean;
  },
) {
  const graphJson = canonical(deps, input.graph);
  await assertCallChain(deps.prisma, { id: null, name: input.name, graph: graphJson });
  await assertMcpServers(deps.prisma, graphJson);
  const created = await deps.prisma.workflow.create({
    data: {
      projectId: CALLER_PROJECT,
      name: input.name,
      description: input.description ?? null,
      graphJson,
      ownerId: input.ownerId ?? null,
      exposeAsTool: input.exposeAsTool ?? false,
      versions: { create: { version: 1, graphJson, message: input.message ?? null } },
    },
  });
  await audit(deps.prisma, {
    action: "workflow.create",
    targetType: "workflow",
    targetId: created.id,
    details: { name: created.name },
  });
  return created;
}

export async function getWorkflow(deps: Pick<WorkflowServiceDeps, "prisma">, id: Uuid) {
  const wf = await deps.prisma.workflow.findUnique({ where: { id } });
  if (!wf) throw new NotFoundError(`workflow ${id} does not exist`);
  return wf;
}

/** Key order aside (PostgreSQL's jsonb keeps its own), the same document. */
const sameDocument = (a: unknown, b: unknown) => pathChanges(a, b).length === 0;

/**
 * Saves name, description and document; a document that differs from the current one becomes the
 * next version (with `message`). Concurrent saves are serialised by the row lock of the update.
 */
export async function updateWorkflow(
  deps: WorkflowServiceDeps,
  id: Uuid,
  input: {
    name?: string | null;
    description?: string | null;
    graph?: unknown;
    message?: string | null;
    exposeAsTool?: boolean;
  },
) {
  const current = await getWorkflow(deps, id);
  const graphJson = input.graph !== undefined && input.graph !== null ? canonical(deps, input.graph) : undefined;
  if (graphJson) {
    await assertCallChain(deps.prisma, { id, name: input.name ?? current.name, graph: graphJson });
    await assertMcpServers(deps.prisma, graphJson);
  }
  const changed = graphJson !== undefined && !sameDocument(graphJson, current.graphJson);
  const data = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.exposeAsTool !== undefined ? { exposeAsTool: input.exposeAsTool } : {}),
  };
  const updated = changed
    ? await appendVersion(deps, id, graphJson, input.message ?? null, data)
    : await deps.prisma.workflow.update({ where: { id }, data });
  await audit(deps.prisma, {
    action: "workflow.update",
    targetType: "workflow",
    targetId: id,
    details: { version: updated.version, new_version: changed },
  });
  return updated;
}

/** The workflow's next version is `graphJson`: the workflow row and the version row change together. */
export function appendVersion(
  deps: Pick<WorkflowServiceDeps, "prisma">,
  id: Uuid,
  graphJson: object,
  message: string | null,
  data: { name?: string; description?: string | null } = {},
) {
  return deps.prisma.$transaction(async (tx) => {
    const wf = await tx.workflow.update({ where: { id }, data: { ...data, graphJson, version: { increment: 1 } } });
    await tx.workflowVersion.create({ data: { workflowId: id, version: wf.version, graphJson, message } });
    return wf;
  });
}

export async function deleteWorkflow(deps: WorkflowServiceDeps, id: Uuid) {
  const wf = await getWorkflow(deps, id);
  await deps.prisma.workflow.delete({ where: { id } });
  await audit(deps.prisma, {
    action: "workflow.delete",
    targetType: "workflow",
    targetId: id,
    details: { name: wf.name },
  });
}

/** Workflows matching `search` (name or description), newest first. */
function searchWhere(search: string | null | undefined): Prisma.WorkflowWhereInput {
  return search
    ? {
        OR: [
          { name: { contains: search, mode: "insensitive" } },
          { description: { contains: search, mode: "insensitive" } },
        ],
      }
    : {};
}

export async function listWorkflows(
  deps: WorkflowServiceDeps,
  options: { search?: string | null; take: number; cursor?: Uuid | null },
) {
  return deps.prisma.workflow.findMany({
    where: searchWhere(options.search),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.take,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
}

/** GraphQL's reads: the caller's field selection (Pothos' `query`, paging included) is merged in. */
export function findWorkflow(deps: Pick<WorkflowServiceDeps, "prisma">, id: Uuid, query: object = {}) {
  return deps.prisma.workflow.findUnique({ ...query, where: { id } });
}

export function searchWorkflows(deps: Pick<WorkflowServiceDeps, "prisma">, search: string | null, query: object = {}) {
  return deps.prisma.workflow.findMany({
    ...query,
    where: searchWhere(search),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

export async function setProviderBinding(
  deps: WorkflowServiceDeps,
  input: { workflowId: Uuid; provider: string; model: string; temperature?: number | null },
) {
  await getWorkflow(deps, input.workflowId);
  if (!deps.providerNames().includes(input.provider)) {
    throw new InvalidWorkflowError([
      {
        path: "provider",
        message: `unknown provider '${input.provider}' (configured: ${deps.providerNames().join(", ")})`,
      },
    ]);
  }
  if (input.temperature != null && (input.temperature < 0 || input.temperature > 2)) {
    throw new InvalidWorkflowError([{ path: "temperature", message: "expected a number between 0 and 2" }]);
  }
  return deps.prisma.providerBinding.upsert({
    where: { workflowId_provider: { workflowId: input.workflowId, provider: input.provider } },
    create: {
      workflowId: input.workflowId,
      provider: input.provider,
      model: input.model,
      temperature: input.temperature ?? null,
    },
    update: { model: input.model, temperature: input.temperature ?? null },
  });
}

export async function removeProviderBinding(deps: WorkflowServiceDeps, id: Uuid) {
  const existing = await deps.prisma.providerBinding.findUnique({ where: { id } });
  if (!existing) throw new NotFoundError(`provider binding ${id} does not exist`);
  await deps.prisma.providerBinding.delete({ where: { id } });
  return existing;
}
