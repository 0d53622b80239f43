/**
 * Re-run a finished run from one of its nodes: apply config overrides, plan which steps are reused
 * from the parent (and why the others execute), record the plan on the new run, and enqueue it.
 */

import { Prisma } from "../db/prisma.ts";
import { pathChanges } from "../domain/diff.ts";
import type { Uuid } from "../domain/ids.ts";
import { isOpenRun } from "../domain/run-status.ts";
import { runTraceFields } from "../domain/trace-context.ts";
import type { CompiledWorkflow } from "../domain/workflow/compile.ts";
import { planRerun, type RerunPlan, type StoredRerunPlan } from "../domain/workflow/rerun-plan.ts";
import { type ValidationIssue, validateWorkflow } from "../domain/workflow/validate.ts";
import { toolCatalog } from "../tools/registry.ts";
import { audit } from "./audit.ts";
import { assertWithinBudget } from "./budgets.ts";
import {
  attributionFields,
  ConflictError,
  enqueueRun,
  InvalidRequestError,
  InvalidWorkflowError,
  NotFoundError,
  type RunAttribution,
  type RunServiceDeps,
  type TraceHeaders,
} from "./runs.ts";

export interface RerunInput {
  fromNode?: string | null;
  /** Node id → a partial node config merged over the parent's. */
  overrides?: Record<string, Record<string, unknown>>;
  inputVars?: Record<string, unknown> | null;
  useCache?: boolean;
  /** The caller's W3C trace context. */
  trace?: TraceHeaders;
  /** End user, session and tags (default: the parent's). */
  attribution?: RunAttribution;
}

export interface ReplayInput {
  /** The document to replay (default: the parent's snapshot). */
  graph?: Record<string, unknown> | null;
  inputVars?: Record<string, unknown> | null;
  trace?: TraceHeaders;
  attribution?: RunAttribution;
}

type Doc = { nodes: { id: string; config: Record<string, unknown> }[] } & Record<string, unknown>;

async function finishedParent(deps: RunServiceDeps, runId: Uuid) {
  const parent = await deps.prisma.workflowRun.findUnique({ where: { id: runId }, include: { steps: true } });
  if (!parent) throw new NotFoundError(`run ${runId} does not exist`);
  if (isOpenRun(parent.status)) {
    throw new ConflictError(`run ${runId} is still ${parent.status}: re-run it once it has finished`);
  }
  return parent;
}

const nodeList = (doc: Doc) => doc.nodes.map((n) => n.id).join(", ");

/** The parent's document with each override merged into its node's config. */
function applyOverrides(doc: Doc, overrides: RerunInput["overrides"] = {}): Doc {
  const unknown = Object.keys(overrides).filter((id) => !doc.nodes.some((n) => n.id === id));
  if (unknown.length > 0) {
    throw new InvalidRequestError(
      "invalid re-run",
      unknown.map((id) => ({
        path: `overrides.${id}`,
        message: `no node '${id}' in the run's workflow (nodes: ${nodeList(doc)})`,
      })),
    );
  }
  const nodes = doc.nodes.map((n) => (overrides[n.id] ? { ...n, config: { ...n.config, ...overrides[n.id] } } : n));
  return { ...doc, nodes };
}

/** An issue inside an overridden node's config is reported at the override: `overrides.summarize.model`. */
function overrideIssue(doc: Doc, overridden: ReadonlySet<string>, issue: ValidationIssue): ValidationIssue {
  const m = /^nodes\[(\d+)\]\.config(.*)$/.exec(issue.path);
  const node = m ? doc.nodes[Number(m[1])] : undefined;
  if (!m || !node || !overridden.has(node.id)) return issue;
  const rest = m[2] ?? "";
  return { path: `overrides.${node.id}${rest}`, message: issue.message };
}

function compileRerun(deps: RunServiceDeps, doc: Doc, overridden: ReadonlySet<string>): CompiledWorkflow {
  const validation = validateWorkflow(doc, { tools: toolCatalog, providers: deps.providerNames() });
  if (validation.ok) return validation.compiled;
  throw new InvalidWorkflowError(validation.issues.map((i) => overrideIssue(doc, overridden, i)));
}

/** `from_node`, or the parent's first failed step in graph order. */
function startingNode(compiled: CompiledWorkflow, fromNode: string | null | undefined, status: Map<string, string>) {
  if (fromNode) {
    if (compiled.nodes.has(fromNode)) return fromNode;
    const known = compiled.order.join(", ");
    throw new InvalidRequestError("invalid re-run", [
      { path: "from_node", message: `no node '${fromNode}' in the run's workflow (nodes: ${known})` },
    ]);
  }
  const failed = compiled.order.find((id) => status.get(id) === "failed" || status.get(id) === "canceled");
  if (failed) return failed;
  throw new InvalidRequestError("invalid re-run", [
    { path: "from_node", message: "expected a node id: the parent run has no failed step to default to" },
  ]);
}

function changedInputs(before: Record<string, unknown>, after: Record<string, unknown>): Set<string> {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return new Set([...names].filter((k) => pathChanges(before[k], after[k]).length > 0));
}

export async function rerunRun(deps: RunServiceDeps, parentId: Uuid, input: RerunInput) {
  const parent = await finishedParent(deps, parentId);
  const overrides = input.overrides ?? {};
  const doc = applyOverrides(parent.graphSnapshot as Doc, overrides);
  const overridden = new Set(Object.keys(overrides));
  const compiled = compileRerun(deps, doc, overridden);
  const status = new Map(parent.steps.map((s) => [s.nodeId, s.status as string]));
  const fromNode = startingNode(compiled, input.fromNode, status);
  const parentInputs = (parent.inputVars ?? {}) as Record<string, unknown>;
  const inputVars = input.inputVars ?? parentInputs;
  const plan = planRerun(compiled, {
    fromNode,
    overridden,
    changedInputs: changedInputs(parentInputs, inputVars),
    parentStatus: status,
  });
  const run = await createRerun(deps, parent, {
    doc,
    fromNode,
    inputVars,
    plan,
    useCache: input.useCache ?? false,
    mode: "from_node",
    trace: input.trace ?? {},
    attribution: input.attribution,
  });
  await enqueueRun(deps, run.id);
  await audit(deps.prisma, {
    action: "run.rerun",
    targetType: "run",
    targetId: run.id,
    details: { parent_run_id: parentId, from_node: fromNode },
  });
  return { run, plan };
}

/**
 * Replay a finished run: execute every node again, each request answered from the parent's
 * recording (no provider or tool call). A request that differs from the recording fails its step.
 */
export async function replayRun(deps: RunServiceDeps, parentId: Uuid, input: ReplayInput) {
  const parent = await finishedParent(deps, parentId);
  const doc = (input.graph ?? parent.graphSnapshot) as Doc;
  const validation = validateWorkflow(doc, { tools: toolCatalog, providers: deps.providerNames() });
  if (!validation.ok) {
    throw new InvalidWorkflowError(
      validation.issues.map((i) => ({ ...i, path: `graph_json${i.path ? `.${i.path}` : ""}` })),
    );
  }
  const plan: RerunPlan = {
    reuse: [],
    execute: validation.compiled.order.map((nodeId) => ({ nodeId, reason: "replayed from the recording" })),
    skip: [],
  };
  const inputVars = input.inputVars ?? ((parent.inputVars ?? {}) as Record<string, unknown>);
  const run = await createRerun(deps, parent, {
    doc,
    fromNode: null,
    inputVars,
    plan,
    useCache: false,
    mode: "replay",
    trace: input.trace ?? {},
    attribution: input.attribution,
  });
  await enqueueRun(deps, run.id);
  return { run, plan };
}

type Parent = Awaited<ReturnType<typeof finishedParent>>;

async function projectOf(deps: RunServiceDeps, workflowId: string): Promise<string> {
  const workflow = await deps.prisma.workflow.findUnique({ where: { id: workflowId }, select: { projectId: true } });
  if (!workflow) throw new NotFoundError(`workflow ${workflowId} does not exist`);
  return workflow.projectId;
}

async function createRerun(
  deps: RunServiceDeps,
  parent: Parent,
  r: {
    doc: Doc;
    fromNode: string | null;
    inputVars: Record<string, unknown>;
    plan: RerunPlan;
    useCache: boolean;
    mode: StoredRerunPlan["mode"];
    trace: TraceHeaders;
    attribution: RunAttribution | undefined;
  },
) {
  const stepOf = new Map(parent.steps.map((s) => [s.nodeId, s]));
  const reuse = r.plan.reuse.map((nodeId) => ({ nodeId, sourceStepId: stepOf.get(nodeId)?.id as string }));
  const saved = reuse.reduce((sum, { nodeId }) => sum.add(stepOf.get(nodeId)?.costCents ?? 0), new Prisma.Decimal(0));
  const stored: StoredRerunPlan = {
    mode: r.mode,
    useCache: r.useCache,
    reuse,
    execute: r.plan.execute,
    skip: r.plan.skip,
  };
  const unchanged = pathChanges(parent.graphSnapshot, r.doc).length === 0;
  // A replay calls no provider; a re-run from a node does.
  if (r.mode !== "replay") await assertWithinBudget(deps.prisma, await projectOf(deps, parent.workflowId));
  return deps.prisma.workflowRun.create({
    data: {
      workflowId: parent.workflowId,
      endUserId: parent.endUserId,
      sessionId: parent.sessionId,
      tags: parent.tags,
      ...attributionFields(r.attribution),
      triggeredBy: r.mode === "replay" ? "replay" : "rerun",
      inputVars: r.inputVars as object,
      graphSnapshot: r.doc as object,
      workflowVersion: unchanged ? parent.workflowVersion : null,
      parentRunId: parent.id,
      rerunFromNode: r.fromNode,
      rerunPlan: stored as object,
      savedCostCents: saved,
      ...runTraceFields(r.trace),
    },
  });
}
