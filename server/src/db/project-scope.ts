/**
 * A Prisma client that sees one project only. Every read, update and delete of a project's models
 * gets the project's filter added to its `where` (workflows and datasets carry `project_id`;
 * everything else belongs through them), and a workflow or dataset created through it is created in
 * the project. The transports hand this client to the use cases, so a use case cannot forget the
 * project: an object of another project is simply not found (404, never 403).
 *
 * Raw SQL is not filtered: a use case that runs raw SQL first finds its object through this client.
 * The engine and the workers use the unscoped client: they act on runs the API already admitted.
 */
import type { PrismaClient } from "./prisma.ts";

type Filter = Record<string, unknown>;

/**
 * The `projectId` a use case writes when it creates a workflow or dataset: "the caller's". The
 * project-scoped client puts the caller's project there (whatever was written); an unscoped client
 * refuses it (it is no uuid), so nothing is ever created outside a project by accident.
 */
export const CALLER_PROJECT = "(the caller's project)";

/** How each model's rows reach their project. */
const PROJECT_PATH: Record<string, (projectId: string) => Filter> = {
  Workflow: (projectId) => ({ projectId }),
  Dataset: (projectId) => ({ projectId }),
  Secret: (projectId) => ({ projectId }),
  McpServer: (projectId) => ({ projectId }),
  WorkflowVersion: (projectId) => ({ workflow: { projectId } }),
  WorkflowRun: (projectId) => ({ workflow: { projectId } }),
  ProviderBinding: (projectId) => ({ workflow: { projectId } }),
  Experiment: (projectId) => ({ workflow: { projectId } }),
  RunStep: (projectId) => ({ run: { workflow: { projectId } } }),
  TraceEvent: (projectId) => ({ run: { workflow: { projectId } } }),
  Approval: (projectId) => ({ run: { workflow: { projectId } } }),
  ExperimentItem: (projectId) => ({ experiment: { workflow: { projectId } } }),
  DatasetItem: (projectId) => ({ dataset: { projectId } }),
};

const FILTERED = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "upsert",
]);
const CREATES = new Set(["create", "createMany", "createManyAndReturn", "upsert"]);
const OWNERS = new Set(["Workflow", "Dataset", "Secret", "McpServer"]);

/** The operation's arguments with the project's filter (and, for a new workflow or dataset, the project). */
function scopedArgs(model: string, operation: string, args: Filter, projectId: string): Filter {
  const filter = PROJECT_PATH[model]?.(projectId);
  let next = args;
  if (filter && FILTERED.has(operation))
    next = { ...next, where: withFilter(next.where as Filter | undefined, filter) };
  if (OWNERS.has(model) && CREATES.has(operation)) next = withProject(operation, next, projectId);
  return next;
}

/** The filter joins the `where`'s AND; its other keys stay on top, as a unique `where` needs its unique field. */
function withFilter(where: Filter | undefined, filter: Filter): Filter {
  if (!where) return filter;
  const and = where.AND === undefined ? [] : Array.isArray(where.AND) ? where.AND : [where.AND];
  return { ...where, AND: [...and, filter] };
}

function withProject(operation: string, args: Filter, projectId: string): Filter {
  const stamp = (data: unknown) => {
    const { project: _ignored, ...rest } = data as Filter;
    return { ...rest, projectId };
  };
  if (operation === "upsert") return { ...args, create: stamp(args.create) };
  const data = args.data;
  return { ...args, data: Array.isArray(data) ? data.map(stamp) : stamp(data) };
}

export function projectScopedClient(prisma: PrismaClient, projectId: string): PrismaClient {
  const scoped = prisma.$extends({
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          return query(scopedArgs(model, operation, (args ?? {}) as Filter, projectId) as typeof args);
        },
      },
    },
  });
  // The extended client has the same API; its type differs only by the extension's generics.
  return scoped as unknown as PrismaClient;
}
