import { uuidOf } from "../../domain/ids.ts";
import { metricsRange } from "../../domain/metrics/range.ts";
import { workflowMetrics } from "../../services/workflow-metrics.ts";
import { diffVersions, findVersion, restoreVersion } from "../../services/workflow-versions.ts";
import {
  createWorkflow as create,
  deleteWorkflow,
  findWorkflow,
  searchWorkflows,
  updateWorkflow as update,
} from "../../services/workflows.ts";
import { builder, type GraphQLDeps } from "../builder.ts";
import { existingId, lookupId } from "../ids.ts";
import { Deleted, InvalidWorkflowError, NotFoundError } from "./errors.ts";
import { MetricsType, RangeEnum } from "./metrics.ts";
import { RunConnection, RunType } from "./run.ts";

export const WorkflowVersionType = builder.prismaObject("WorkflowVersion", {
  description: "An immutable document of a workflow: one per create, and per save that changed it.",
  fields: (t) => ({
    version: t.exposeInt("version"),
    message: t.exposeString("message", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    graphJson: t.expose("graphJson", { type: "JSON", description: "The workflow document of this version." }),
  }),
});

export const WorkflowType = builder.prismaObject("Workflow", {
  description: "A saved workflow document (spec §3) with its metadata.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    graphJson: t.expose("graphJson", { type: "JSON", description: "The workflow document." }),
    exposeAsTool: t.exposeBoolean("exposeAsTool", {
      description: "Offered to the project's MCP clients as a tool (POST /mcp).",
    }),
    nodeCount: t.int({
      resolve: (w) =>
        Array.isArray((w.graphJson as { nodes?: unknown[] }).nodes)
          ? (w.graphJson as { nodes: unknown[] }).nodes.length
          : 0,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    currentVersion: t.exposeInt("version", { description: "The number of the version graphJson is." }),
    metrics: t.field({
      type: MetricsType,
      description: "Runs by status, latency, cost by model, cache, retries, fallbacks and per node, over a range.",
      args: { range: t.arg({ type: RangeEnum, required: true }) },
      resolve: (w, args, ctx) => workflowMetrics(ctx.deps, uuidOf(w.id), metricsRange.parse(args.range)),
    }),
    versions: t.relation("versions", {
      description: "Every version, newest first.",
      query: { orderBy: { version: "desc" } },
    }),
    version: t.prismaField({
      type: "WorkflowVersion",
      nullable: true,
      description: "One version by number, or null when there is no such version.",
      args: { version: t.arg.int({ required: true }) },
      resolve: (query, w, args, ctx) => findVersion(ctx.deps, uuidOf(w.id), args.version, query),
    }),
    versionDiff: t.field({
      type: "JSON",
      nullable: true,
      description:
        "The structural difference from version `from` to version `to`: nodes added, removed and changed (paths with old and new values), edges added and removed, settings; null when either version does not exist.",
      args: { from: t.arg.int({ required: true }), to: t.arg.int({ required: true }) },
      resolve: (w, args, ctx) =>
        diffVersions(ctx.deps, uuidOf(w.id), args.from, args.to).catch((error) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        }),
    }),
    providerBindings: t.relation("providerBindings"),
    runs: t.relatedConnection(
      "runs",
      { cursor: "id", query: () => ({ orderBy: [{ createdAt: "desc" }, { id: "desc" }] }) },
      RunConnection,
    ),
    lastRun: t.field({
      type: RunType,
      nullable: true,
      description: "The most recent run (status and cost for lists).",
      select: { runs: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1 } },
      resolve: (w) => (w as unknown as { runs: (typeof RunType.$inferType)[] }).runs[0] ?? null,
    }),
  }),
});

const WorkflowConnection = builder.connectionObject({ type: WorkflowType, name: "WorkflowConnection" });

const deps = (ctx: { deps: GraphQLDeps }) => ({
  prisma: ctx.deps.prisma,
  providerNames: () => ctx.deps.providers().map((p) => p.name),
});

builder.queryFields((t) => ({
  workflow: t.prismaField({
    type: "Workflow",
    nullable: true,
    description: "One workflow by id, or null when it does not exist.",
    args: { id: t.arg.id({ required: true }).validate(lookupId) },
    resolve: (query, _root, { id }, ctx) => (id ? findWorkflow(ctx.deps, id, query) : null),
  }),
  workflows: t.prismaConnection(
    {
      type: "Workflow",
      cursor: "id",
      description: "Workflows, newest first; `search` matches name and description.",
      args: { search: t.arg.string({ required: false }) },
      resolve: (query, _root, { search }, ctx) => searchWorkflows(ctx.deps, search ?? null, query),
    },
    WorkflowConnection,
  ),
}));

const WorkflowInput = builder.inputType("WorkflowInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    graph: t.field({ type: "JSON", required: true, description: "The workflow document (spec §3)." }),
    exposeAsTool: t.boolean({ required: false, description: "Offer it to MCP clients as a tool." }),
  }),
});

const WorkflowUpdateInput = builder.inputType("WorkflowUpdateInput", {
  fields: (t) => ({
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    graph: t.field({ type: "JSON", required: false }),
    message: t.string({ required: false, description: "Says what this save changed (kept with the new version)." }),
    exposeAsTool: t.boolean({ required: false, description: "Offer it to MCP clients as a tool." }),
  }),
});

builder.mutationFields((t) => ({
  createWorkflow: t.field({
    type: WorkflowType,
    errors: { types: [InvalidWorkflowError] },
    args: { input: t.arg({ type: WorkflowInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      create(deps(ctx), {
        name: input.name,
        description: input.description ?? null,
        graph: input.graph,
        ...(typeof input.exposeAsTool === "boolean" ? { exposeAsTool: input.exposeAsTool } : {}),
      }),
  }),
  updateWorkflow: t.field({
    type: WorkflowType,
    errors: { types: [InvalidWorkflowError, NotFoundError] },
    args: {
      id: t.arg.id({ required: true }).validate(existingId("workflow")),
      input: t.arg({ type: WorkflowUpdateInput, required: true }),
    },
    resolve: (_root, { id, input }, ctx) =>
      update(deps(ctx), id, {
        ...(input.name ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.graph !== undefined && input.graph !== null ? { graph: input.graph } : {}),
        ...(input.message ? { message: input.message } : {}),
        ...(typeof input.exposeAsTool === "boolean" ? { exposeAsTool: input.exposeAsTool } : {}),
      }),
  }),
  restoreWorkflowVersion: t.field({
    type: WorkflowType,
    errors: { types: [NotFoundError] },
    description: "Makes a new version equal to `version`.",
    args: {
      id: t.arg.id({ required: true }).validate(existingId("workflow")),
      version: t.arg.int({ required: true }),
    },
    resolve: (_root, { id, version }, ctx) => restoreVersion(deps(ctx), id, version),
  }),
  deleteWorkflow: t.field({
    type: Deleted,
    errors: { types: [NotFoundError] },
    description: "Deletes the workflow with its runs.",
    args: { id: t.arg.id({ required: true }).validate(existingId("workflow")) },
    resolve: async (_root, { id }, ctx) => {
      await deleteWorkflow(deps(ctx), id);
      return { id };
    },
  }),
}));
