/** Approvals in GraphQL: `decideApproval`, `pendingApprovals`, and a waiting run's `pendingApproval`. */
import { uuidOf } from "../../domain/ids.ts";
import { actorFor } from "../../services/actor.ts";
import { decideApproval, decideApprovalById, selectPendingApprovals } from "../../services/approvals.ts";
import { waitingDescendants } from "../../services/run-reads.ts";
import { builder } from "../builder.ts";
import { existingId, filterId } from "../ids.ts";
import { ConflictError, InvalidRequestError, NotFoundError } from "./errors.ts";
import { RunType, reloaded, runDeps } from "./run.ts";

export const ApprovalType = builder.prismaObject("Approval", {
  description: "A run paused at an approval node, until someone (or its deadline) decides.",
  fields: (t) => ({
    id: t.exposeID("id"),
    runId: t.exposeID("runId"),
    run: t.relation("run"),
    nodeId: t.exposeString("nodeId"),
    stepId: t.exposeID("stepId"),
    status: t.exposeString("status", { description: "pending, approved, rejected, timed_out or canceled." }),
    message: t.exposeString("message", { description: "The node's message, rendered with its inputs." }),
    inputs: t.expose("inputs", { type: "JSON", description: "The node's rendered inputs, shown to the approver." }),
    requestedAt: t.expose("requestedAt", { type: "DateTime" }),
    deadline: t.expose("deadline", { type: "DateTime", nullable: true }),
    onTimeout: t.exposeString("onTimeout", { description: "What the deadline decides: fail, approve or reject." }),
    decidedAt: t.expose("decidedAt", { type: "DateTime", nullable: true }),
    decidedBy: t.exposeString("decidedBy", { nullable: true }),
    comment: t.exposeString("comment", { nullable: true }),
    kind: t.exposeString("kind", {
      description: "gate (an approval node), tool (an agent's tool call) or budget (an agent's budget ran out).",
    }),
    tool: t.exposeString("tool", { nullable: true, description: "A tool approval: the tool to run." }),
    args: t.expose("args", { type: "JSON", nullable: true, description: "A tool approval: the model's arguments." }),
    decidedArgs: t.expose("decidedArgs", {
      type: "JSON",
      nullable: true,
      description: "A tool approval: the arguments as the approver approved them.",
    }),
    spentCents: t.expose("spentCents", {
      type: "Decimal",
      nullable: true,
      description: "A budget approval: spent so far.",
    }),
    limitCents: t.expose("limitCents", {
      type: "Decimal",
      nullable: true,
      description: "A budget approval: its limit.",
    }),
  }),
});

const DecisionEnum = builder.enumType("ApprovalDecision", { values: ["approve", "reject"] as const });

builder.objectField(RunType, "pendingApproval", (t) =>
  t.prismaField({
    type: "Approval",
    nullable: true,
    description:
      "The approval a waiting run waits at — its own, or one its waiting sub-workflow runs wait at; null otherwise.",
    resolve: async (query, run, _args, ctx) => {
      if (run.status !== "waiting") return null;
      for (const runId of [run.id, ...(await waitingDescendants(ctx.deps, run.id))]) {
        const [pending] = await selectPendingApprovals(ctx.deps, { runId }, query);
        if (pending) return pending;
      }
      return null;
    },
  }),
);

builder.queryFields((t) => ({
  pendingApprovals: t.prismaField({
    type: ["Approval"],
    description: "Approvals waiting for a decision across runs (or one run's), oldest first.",
    args: { runId: t.arg.id({ required: false }).validate(filterId) },
    resolve: async (query, _root, { runId }, ctx) =>
      runId === null ? [] : selectPendingApprovals(ctx.deps, runId ? { runId } : {}, query),
  }),
}));

builder.mutationFields((t) => ({
  decideApproval: t.prismaField({
    type: "WorkflowRun",
    description:
      "Approve or reject the approval a waiting run waits at; the run resumes with only the chosen branch. A second decision, or a run not waiting, is a ConflictError.",
    errors: { types: [NotFoundError, ConflictError] },
    args: {
      runId: t.arg.id({ required: true }).validate(existingId("run")),
      nodeId: t.arg.string({ required: true }),
      decision: t.arg({ type: DecisionEnum, required: true }),
      comment: t.arg.string({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const run = await decideApproval(runDeps(ctx), {
        runId: args.runId,
        nodeId: args.nodeId,
        decision: args.decision,
        comment: args.comment ?? null,
        decidedBy: actorFor(ctx.caller, ctx.actor, "graphql"),
      });
      return reloaded(ctx, uuidOf(run.id), query);
    },
  }),
  decideApprovalById: t.prismaField({
    type: "WorkflowRun",
    description:
      "Decide any approval by its id: a gate, an agent's tool call (approve with edited `args`) or its budget (approve with `extendCents`). A second decision is a ConflictError.",
    errors: { types: [NotFoundError, ConflictError, InvalidRequestError] },
    args: {
      approvalId: t.arg.id({ required: true }).validate(existingId("approval")),
      decision: t.arg({ type: DecisionEnum, required: true }),
      comment: t.arg.string({ required: false }),
      args: t.arg({ type: "JSON", required: false, description: "A tool approval: the arguments to run it with." }),
      extendCents: t.arg({ type: "Decimal", required: false, description: "A budget approval: the amount to add." }),
    },
    resolve: async (query, _root, a, ctx) => {
      const args = a.args as Record<string, unknown> | null | undefined;
      if (args != null && (typeof args !== "object" || Array.isArray(args))) {
        throw new InvalidRequestError("invalid decision", [
          { path: "args", message: "expected an object of arguments" },
        ]);
      }
      const run = await decideApprovalById(runDeps(ctx), {
        approvalId: a.approvalId,
        decision: a.decision,
        comment: a.comment ?? null,
        ...(args ? { args } : {}),
        ...(a.extendCents != null ? { extendCents: String(a.extendCents) } : {}),
        decidedBy: actorFor(ctx.caller, ctx.actor, "graphql"),
      });
      return reloaded(ctx, uuidOf(run.id), query);
    },
  }),
}));
