import { runAttributionSchema } from "@flowtrace/contract/spend";
import { type Uuid, uuidOf } from "../../domain/ids.ts";
import { storageIssues } from "../../domain/storable-json.ts";
import { NODE_TYPES } from "../../domain/workflow/schema.ts";
import { findRun, findStep, listRuns } from "../../services/run-reads.ts";
import { cancelRun as cancel, startRun as start } from "../../services/runs.ts";
import { withoutNulls } from "../args.ts";
import { builder } from "../builder.ts";
import { existingId, filterId, lookupId } from "../ids.ts";
import { ConflictError, InvalidWorkflowError, NotFoundError } from "./errors.ts";

export const RunStatusEnum = builder.enumType("RunStatus", {
  values: ["queued", "running", "waiting", "succeeded", "failed", "canceled"] as const,
});
export const StepStatusEnum = builder.enumType("StepStatus", {
  values: ["queued", "running", "succeeded", "failed", "skipped", "canceled", "waiting"] as const,
});
export const NodeTypeEnum = builder.enumType("NodeType", {
  values: NODE_TYPES,
});

export const TraceEventType = builder.prismaObject("TraceEvent", {
  description:
    "One trace event, read from storage or streamed live by runEvents. `seq` is per run, gap-free and increasing.",
  fields: (t) => ({
    id: t.id({
      description: "`<runId>:<seq>`: the same for a stored and a streamed event.",
      resolve: (e) => `${e.runId}:${e.seq}`,
    }),
    runId: t.exposeID("runId"),
    stepId: t.exposeID("stepId", { nullable: true }),
    seq: t.exposeInt("seq"),
    ts: t.expose("ts", { type: "DateTime" }),
    kind: t.exposeString("kind"),
    payload: t.expose("payload", { type: "JSON" }),
  }),
});

export const StepType = builder.prismaObject("RunStep", {
  name: "Step",
  fields: (t) => ({
    id: t.exposeID("id"),
    runId: t.exposeID("runId"),
    nodeId: t.exposeString("nodeId"),
    nodeType: t.expose("nodeType", { type: NodeTypeEnum }),
    status: t.expose("status", { type: StepStatusEnum }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
    latencyMs: t.exposeInt("latencyMs", { nullable: true }),
    tokensInput: t.exposeInt("tokensInput"),
    tokensOutput: t.exposeInt("tokensOutput"),
    tokensReasoning: t.exposeInt("tokensReasoning", {
      description: "Reasoning tokens, already part of tokensOutput (0 when the model reports none).",
    }),
    usageSource: t.exposeString("usageSource", {
      description:
        '"provider" when the provider reported the usage; "estimated" when it reported none and FlowTrace counted the tokens (prompt as sent, text as received) and priced them.',
    }),
    costCents: t.expose("costCents", {
      type: "Decimal",
      nullable: true,
      description: "Null when the model has no price.",
    }),
    error: t.exposeString("error", { nullable: true }),
    output: t.expose("output", {
      type: "JSON",
      nullable: true,
      description: "The step's full output (trace events carry at most 64 KiB of a value, marked when cut).",
    }),
    reused: t.exposeBoolean("reused", {
      description: "Taken from the parent run's step by a re-run: no call was made, it cost this run nothing.",
    }),
    sourceStepId: t.exposeID("sourceStepId", {
      nullable: true,
      description: "The parent's step a reused step came from.",
    }),
    events: t.relation("events", { query: { orderBy: { seq: "asc" } } }),
  }),
});

/** Every field returning runs (or events) returns this one connection type. */
export const TraceEventConnection = builder.connectionObject({
  type: TraceEventType,
  name: "TraceEventConnection",
});

export const RunType = builder.prismaObject("WorkflowRun", {
  name: "Run",
  fields: (t) => ({
    id: t.exposeID("id"),
    workflowId: t.exposeID("workflowId"),
    workflow: t.relation("workflow"),
    waitedMs: t.exposeInt("waitedMs", {
      description: "Time spent waiting for approvals (not counted against the run's timeout).",
    }),
    triggeredBy: t.exposeString("triggeredBy", { nullable: true }),
    userId: t.exposeString("endUserId", {
      nullable: true,
      description: "The end user the run ran for (`user_id` when it was started).",
    }),
    sessionId: t.exposeString("sessionId", { nullable: true }),
    tags: t.exposeStringList("tags"),
    status: t.expose("status", { type: RunStatusEnum }),
    inputVars: t.expose("inputVars", { type: "JSON" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
    totalTokens: t.exposeInt("totalTokens"),
    totalCostCents: t.expose("totalCostCents", {
      type: "Decimal",
      description: "The priced steps' sum: a lower bound when costComplete is false.",
    }),
    costComplete: t.exposeBoolean("costComplete", {
      description: "False when a step's cost is unknown (its model has no price).",
    }),
    unpricedSteps: t.exposeInt("unpricedSteps", {
      description: "Succeeded LLM steps whose model has no price; their cost is not in totalCostCents.",
    }),
    totalLatencyMs: t.exposeInt("totalLatencyMs"),
    errorSummary: t.exposeString("errorSummary", { nullable: true }),
    tracePrunedAt: t.expose("tracePrunedAt", {
      type: "DateTime",
      nullable: true,
      description:
        "When trace retention deleted this run's events (FLOWTRACE_TRACE_RETENTION_DAYS); the run's figures stay.",
    }),
    steps: t.relation("steps", {
      query: { orderBy: [{ startedAt: { sort: "asc", nulls: "last" } }, { nodeId: "asc" }] },
    }),
    events: t.relatedConnection(
      "events",
      {
        cursor: "id",
        args: { afterSeq: t.arg.int({ required: false, description: "Only events with a larger seq." }) },
        query: (args) => ({ where: { seq: { gt: args.afterSeq ?? 0 } }, orderBy: { seq: "asc" } }),
        maxSize: 1000,
        defaultSize: 200,
      },
      TraceEventConnection,
    ),
  }),
});

/** What a run ran and where it came from: its document and version, and its re-run lineage. */
builder.prismaObjectFields("WorkflowRun", (t) => ({
  graphSnapshot: t.expose("graphSnapshot", {
    type: "JSON",
    nullable: true,
    description: "The document this run ran: its workflow when it started, with a re-run's overrides.",
  }),
  workflowVersion: t.exposeInt("workflowVersion", {
    nullable: true,
    description: "The workflow version this run ran (null for runs older than versions).",
  }),
  parentRunId: t.exposeID("parentRunId", { nullable: true }),
  parent: t.relation("parent", {
    nullable: true,
    description: "The run this one re-ran — or, for a sub-workflow's run (parentStepId set), the run that called it.",
  }),
  parentStepId: t.exposeID("parentStepId", {
    nullable: true,
    description: "A sub-workflow's run: the step of the calling run (parent) that started it.",
  }),
  children: t.relation("children", {
    description: "Re-runs of this run and the sub-workflow runs it started (parentStepId set), oldest first.",
    query: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
  }),
  rerunFromNode: t.exposeString("rerunFromNode", { nullable: true }),
  savedCostCents: t.expose("savedCostCents", {
    type: "Decimal",
    description: "What the reused steps cost when they ran in the parent (this run did not pay it).",
  }),
}));

export const RunConnection = builder.connectionObject({ type: RunType, name: "RunConnection" });

builder.queryFields((t) => ({
  run: t.prismaField({
    type: "WorkflowRun",
    nullable: true,
    args: { id: t.arg.id({ required: true }).validate(lookupId) },
    resolve: (query, _root, { id }, ctx) => (id ? findRun(ctx.deps, id, query) : null),
  }),
  step: t.prismaField({
    type: "RunStep",
    nullable: true,
    description: "One step by id (its full output included), or null when it does not exist.",
    args: { id: t.arg.id({ required: true }).validate(lookupId) },
    resolve: (query, _root, { id }, ctx) => (id ? findStep(ctx.deps, id, query) : null),
  }),
  runs: t.prismaConnection(
    {
      type: "WorkflowRun",
      cursor: "id",
      description: "Runs, newest first, optionally of one workflow and in one status.",
      args: {
        workflowId: t.arg.id({ required: false }).validate(filterId),
        status: t.arg({ type: RunStatusEnum, required: false }),
        userId: t.arg.string({ required: false, description: "Only runs for this end user." }),
        sessionId: t.arg.string({ required: false }),
        tag: t.arg.string({ required: false, description: "Only runs with this tag." }),
      },
      // A workflowId that is no UUID filters to nothing (no workflow has it).
      resolve: (query, _root, { workflowId, status, userId, sessionId, tag }, ctx) =>
        workflowId === null
          ? []
          : listRuns(
              ctx.deps,
              { workflowId: workflowId ?? null, status: status ?? null, userId, sessionId, tag },
              query,
            ),
    },
    RunConnection,
  ),
}));

/** `userId`, `sessionId` and `tags` arguments, checked by the contract's schema (issues name the argument). */
export function checkedAttribution(a: { userId?: string | null; sessionId?: string | null; tags?: string[] | null }) {
  const parsed = runAttributionSchema.safeParse(
    withoutNulls({ user_id: a.userId, session_id: a.sessionId, tags: a.tags }),
  );
  if (!parsed.success) {
    const names: Record<string, string> = { user_id: "userId", session_id: "sessionId", tags: "tags" };
    throw new InvalidWorkflowError(
      parsed.error.issues.map((i) => ({
        path: [names[String(i.path[0])] ?? String(i.path[0]), ...i.path.slice(1)].join("."),
        message: i.message,
      })),
    );
  }
  return { userId: parsed.data.user_id, sessionId: parsed.data.session_id, tags: parsed.data.tags };
}

/** The run a mutation just changed, with the fields the client selected. */
export async function reloaded(ctx: { deps: import("../builder.ts").GraphQLDeps }, runId: Uuid, query: object) {
  const run = await findRun(ctx.deps, runId, query);
  if (!run) throw new NotFoundError(`run ${runId} does not exist`);
  return run;
}

export const runDeps = (ctx: { deps: import("../builder.ts").GraphQLDeps }) => ({
  prisma: ctx.deps.prisma,
  queue: ctx.deps.queue,
  pubsub: ctx.deps.pubsub,
  providerNames: () => ctx.deps.providers().map((p) => p.name),
});

builder.mutationFields((t) => ({
  startRun: t.prismaField({
    type: "WorkflowRun",
    errors: { types: [InvalidWorkflowError, NotFoundError] },
    args: {
      workflowId: t.arg.id({ required: true }).validate(existingId("workflow")),
      inputVars: t.arg({ type: "JSON", required: false }),
      userId: t.arg.string({ required: false, description: "The end user the run is for." }),
      sessionId: t.arg.string({ required: false, description: "The end user's session or conversation." }),
      tags: t.arg.stringList({ required: false }),
    },
    resolve: async (query, _root, { workflowId, inputVars, userId, sessionId, tags }, ctx) => {
      if (inputVars != null && (typeof inputVars !== "object" || Array.isArray(inputVars))) {
        throw new InvalidWorkflowError([{ path: "inputVars", message: "expected an object of input variables" }]);
      }
      const unstorable = storageIssues(inputVars ?? {}, { path: ["inputVars"] });
      if (unstorable.length > 0) throw new InvalidWorkflowError(unstorable);
      const run = await start(runDeps(ctx), {
        workflowId,
        inputVars: (inputVars ?? {}) as Record<string, unknown>,
        triggeredBy: "graphql",
        attribution: checkedAttribution({ userId, sessionId, tags }),
        ...(ctx.trace ? { trace: ctx.trace } : {}),
      });
      return reloaded(ctx, uuidOf(run.id), query);
    },
  }),
  cancelRun: t.prismaField({
    type: "WorkflowRun",
    errors: { types: [NotFoundError, ConflictError] },
    args: { runId: t.arg.id({ required: true }).validate(existingId("run")) },
    resolve: async (query, _root, { runId }, ctx) => {
      const ok = await cancel(runDeps(ctx), runId);
      if (!ok) throw new ConflictError(`run ${runId} has already finished`);
      return reloaded(ctx, runId, query);
    },
  }),
}));
