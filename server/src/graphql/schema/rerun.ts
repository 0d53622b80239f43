/** Re-runs in GraphQL: the `rerunRun` mutation, the plan a re-run records on `Run`, and `Run.diff`. */
import { z } from "zod";
import { uuidOf } from "../../domain/ids.ts";
import { formatPath } from "../../domain/json-path.ts";
import { rerunPlanSchema, type StoredRerunPlan } from "../../domain/workflow/rerun-plan.ts";
import { issueMessage } from "../../domain/zod-issues.ts";
import { rerunRun } from "../../services/reruns.ts";
import { diffRunsById } from "../../services/run-diff.ts";
import { builder } from "../builder.ts";
import { existingId, lookupId } from "../ids.ts";
import { ConflictError, InvalidRequestError, InvalidWorkflowError, NotFoundError } from "./errors.ts";
import { checkedAttribution, RunType, reloaded, runDeps } from "./run.ts";

const RerunStepType = builder.objectRef<{ nodeId: string; reason: string }>("RerunStep").implement({
  description: "A node a re-run executes, and why (re-run from here, overridden, downstream of …).",
  fields: (t) => ({ nodeId: t.exposeString("nodeId"), reason: t.exposeString("reason") }),
});

const RerunPlanType = builder.objectRef<StoredRerunPlan>("RerunPlan").implement({
  description: "What a re-run takes from its parent and what it executes.",
  fields: (t) => ({
    useCache: t.exposeBoolean("useCache", { description: "Executed steps may read the exact-match cache." }),
    reused: t.stringList({
      description: "Node ids taken from the parent.",
      resolve: (p) => p.reuse.map((r) => r.nodeId),
    }),
    executed: t.field({ type: [RerunStepType], resolve: (p) => p.execute }),
  }),
});

builder.objectField(RunType, "rerunPlan", (t) =>
  t.field({
    type: RerunPlanType,
    nullable: true,
    description: "Set on a re-run: the steps reused from the parent and the ones executed, with why.",
    resolve: (run) => (run.rerunPlan ? rerunPlanSchema.parse(run.rerunPlan) : null),
  }),
);

builder.objectField(RunType, "diff", (t) =>
  t.field({
    type: "JSON",
    nullable: true,
    description:
      "This run step by step against another (matched by node id): status, output and config diffs, branch, tokens, cost, latency, each a pair [against, this run]; null when `against` does not exist.",
    args: { against: t.arg.id({ required: true }).validate(lookupId) },
    resolve: async (run, { against }, ctx) => {
      if (!against) return null;
      return diffRunsById(ctx.deps, uuidOf(run.id), against).catch((error) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
    },
  }),
);

const rerunArgs = z.object({
  overrides: z.record(z.string(), z.record(z.string(), z.unknown())).nullish(),
  inputVars: z.record(z.string(), z.unknown()).nullish(),
});

function parsedArgs(args: unknown) {
  const r = rerunArgs.safeParse(args);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) }));
  throw new InvalidRequestError("invalid re-run", issues);
}

builder.mutationFields((t) => ({
  rerunRun: t.prismaField({
    type: "WorkflowRun",
    description:
      "Re-run a finished run from `fromNode` (default: its first failed step): steps upstream that succeeded are reused from it, `fromNode` and what follows execute with `overrides`.",
    errors: { types: [NotFoundError, ConflictError, InvalidRequestError, InvalidWorkflowError] },
    args: {
      runId: t.arg.id({ required: true }).validate(existingId("run")),
      fromNode: t.arg.string({ required: false }),
      overrides: t.arg({ type: "JSON", required: false, description: "Node id → a partial node config." }),
      inputVars: t.arg({ type: "JSON", required: false, description: "Default: the parent's." }),
      useCache: t.arg.boolean({ required: false, description: "Let executed steps read the cache (default false)." }),
      userId: t.arg.string({ required: false, description: "Default: the parent's end user." }),
      sessionId: t.arg.string({ required: false, description: "Default: the parent's session." }),
      tags: t.arg.stringList({ required: false, description: "Default: the parent's tags." }),
    },
    resolve: async (query, _root, args, ctx) => {
      const { overrides, inputVars } = parsedArgs({ overrides: args.overrides, inputVars: args.inputVars });
      const { run } = await rerunRun(runDeps(ctx), args.runId, {
        fromNode: args.fromNode ?? null,
        ...(overrides ? { overrides } : {}),
        ...(inputVars ? { inputVars } : {}),
        useCache: args.useCache ?? false,
        attribution: checkedAttribution(args),
        ...(ctx.trace ? { trace: ctx.trace } : {}),
      });
      return reloaded(ctx, uuidOf(run.id), query);
    },
  }),
}));
