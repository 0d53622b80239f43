/** A workflow's versions: list, read, restore, and the structural diff between two of them. */
import type { Uuid } from "../domain/ids.ts";
import { diffWorkflows, type WorkflowDiff } from "../domain/workflow/version-diff.ts";
import { audit } from "./audit.ts";
import { NotFoundError } from "./runs.ts";
import { appendVersion, getWorkflow, type WorkflowServiceDeps } from "./workflows.ts";

type Deps = Pick<WorkflowServiceDeps, "prisma">;

/** Newest first. */
export async function listVersions(deps: Deps, workflowId: Uuid) {
  await getWorkflow(deps, workflowId);
  return deps.prisma.workflowVersion.findMany({
    where: { workflowId },
    orderBy: { version: "desc" },
    select: { version: true, createdAt: true, message: true },
  });
}

export async function getVersion(deps: Deps, workflowId: Uuid, version: number) {
  const row = await deps.prisma.workflowVersion.findUnique({
    where: { workflowId_version: { workflowId, version } },
  });
  if (row) return row;
  await getWorkflow(deps, workflowId);
  throw new NotFoundError(`workflow ${workflowId} has no version ${version}`);
}

/** A new version equal to `version` (the history stays as it was), even when the document already is. */
export async function restoreVersion(deps: Deps, workflowId: Uuid, version: number) {
  const old = await getVersion(deps, workflowId, version);
  const restored = await appendVersion(deps, workflowId, old.graphJson as object, `restored version ${version}`);
  await audit(deps.prisma, {
    action: "workflow.restore",
    targetType: "workflow",
    targetId: workflowId,
    details: { version, new_version: restored.version },
  });
  return restored;
}

export async function diffVersions(deps: Deps, workflowId: Uuid, a: number, b: number): Promise<WorkflowDiff> {
  const [va, vb] = await Promise.all([getVersion(deps, workflowId, a), getVersion(deps, workflowId, b)]);
  return diffWorkflows(va.graphJson, vb.graphJson);
}

/** GraphQL's read: the caller's field selection is merged in. */
export function findVersion(deps: Deps, workflowId: Uuid, version: number, query: object = {}) {
  return deps.prisma.workflowVersion.findUnique({ ...query, where: { workflowId_version: { workflowId, version } } });
}
