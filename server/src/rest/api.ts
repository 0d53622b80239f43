/**
 * The spec's REST API (§5), snake_case, as a thin layer over the services. Bad input is a 4xx with
 * `{error: {code, message, issues?}}`, never a 500.
 */
import { type RunAttributionJson, runAttributionFields } from "@flowtrace/contract/spend";
import { Hono, type MiddlewareHandler } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { PrismaClient } from "../db/prisma.ts";
import { parseUuid, type Uuid } from "../domain/ids.ts";
import { describeStorageIssues, storageIssues } from "../domain/storable-json.ts";
import { channels, type DeltaEvent } from "../domain/trace/events.ts";
import { requestScope } from "../http/caller.ts";
import type { Logger } from "../observability/logger.ts";
import type { JobQueue } from "../queue/queue.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import { actorFor } from "../services/actor.ts";
import { decideApproval, decideApprovalById, listPendingApprovals } from "../services/approvals.ts";
import type { Services as ProcessServices } from "../services/index.ts";
import { replayRun, rerunRun } from "../services/reruns.ts";
import { diffRunsById } from "../services/run-diff.ts";
import {
  getRun,
  getStep,
  listChildRuns,
  listSteps,
  pendingApprovalsWithin,
  traceEndedBy,
  tracePage,
} from "../services/run-reads.ts";
import { cancelRun, NotFoundError, type RunAttribution, startRun, type TraceHeaders } from "../services/runs.ts";
import { diffVersions, getVersion, listVersions, restoreVersion } from "../services/workflow-versions.ts";
import { createWorkflow, deleteWorkflow, getWorkflow, listWorkflows, updateWorkflow } from "../services/workflows.ts";
import { readTraceBatches } from "../trace/reader.ts";
import { type EventJson, eventJson } from "../trace/sse-json.ts";
import { errorBody, respondWithError } from "./error-body.ts";
import { evalRoutes } from "./evals.ts";
import { mcpServerRoutes } from "./mcp-servers.ts";
import { type MemberDeps, memberRoutes } from "./members.ts";
import { projectRoutes } from "./projects.ts";
import { BadRequest, body, idParam, type ParamSource, query } from "./request.ts";
import { secretRoutes } from "./secrets.ts";
import {
  serializeApproval,
  serializedEventJson,
  serializeEvent,
  serializeRerun,
  serializeRun,
  serializeRunDiff,
  serializeStep,
  serializeVersion,
  serializeWorkflow,
} from "./serialize.ts";
import { spendRoutes } from "./spend.ts";

/** REST routes call the use cases with the process's services object (services/index.ts). */
export interface ApiDeps
  extends Pick<ProcessServices, "prisma" | "queue" | "pubsub" | "providerNames" | "keyring" | "mcp" | "mcpSettings"> {
  logger: Logger;
  invitations?: MemberDeps["invitations"];
  /** SSE heartbeat interval. */
  heartbeatMs?: number;
}

const createBody = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(10_000).nullish(),
  graph_json: z.record(z.string(), z.unknown()),
  message: z.string().max(2_000).nullish(),
  expose_as_tool: z.boolean().optional(),
});
const updateBody = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(10_000).nullish(),
    graph_json: z.record(z.string(), z.unknown()).optional(),
    message: z.string().max(2_000).nullish(),
    expose_as_tool: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "expected at least one of name, description, graph_json, expose_as_tool",
  });
const runBody = z.strictObject({ input_vars: z.record(z.string(), z.unknown()).optional(), ...runAttributionFields });
const rerunBody = z.union([
  z.strictObject({
    replay: z.literal(true),
    graph_json: z.record(z.string(), z.unknown()).optional(),
    input_vars: z.record(z.string(), z.unknown()).optional(),
    ...runAttributionFields,
  }),
  z.strictObject({
    replay: z.literal(false).optional(),
    from_node: z.string().min(1).max(200).optional(),
    overrides: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    input_vars: z.record(z.string(), z.unknown()).optional(),
    use_cache: z.boolean().optional(),
    ...runAttributionFields,
  }),
]);

/** `user_id`, `session_id` and `tags` of a start or re-run body. */
const attributionOf = (b: RunAttributionJson): RunAttribution => ({
  userId: b.user_id,
  sessionId: b.session_id,
  tags: b.tags,
});

/** A re-run from a node, or (`replay: true`) a replay of the whole run from its recording. */
function rerunOrReplay(deps: RunServices, runId: Uuid, b: z.infer<typeof rerunBody>, trace: TraceHeaders) {
  if (b.replay === true) {
    const attribution = attributionOf(b);
    return replayRun(deps, runId, { graph: b.graph_json ?? null, inputVars: b.input_vars ?? null, trace, attribution });
  }
  return rerunRun(deps, runId, {
    trace,
    attribution: attributionOf(b),
    ...(b.from_node !== undefined ? { fromNode: b.from_node } : {}),
    ...(b.overrides !== undefined ? { overrides: b.overrides } : {}),
    ...(b.input_vars !== undefined ? { inputVars: b.input_vars } : {}),
    ...(b.use_cache !== undefined ? { useCache: b.use_cache } : {}),
  });
}
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.coerce.number().int().min(0).default(0),
});

type Services = { prisma: PrismaClient; providerNames: () => string[] };
type RunServices = Services & { queue: JobQueue; pubsub: PubSub };

/** A NUL (or an unpaired surrogate) in the URL would reach a database query: refuse it here. */
const refuseUnstorableUrls: MiddlewareHandler = async (c, next) => {
  let path = c.req.path;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Not percent-decodable: routing treats it literally.
  }
  const unstorable = storageIssues({ path, query: c.req.queries() });
  if (unstorable.length > 0) throw new BadRequest(`invalid URL: ${describeStorageIssues(unstorable)}`, unstorable);
  await next();
};

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return null;
      const id = parseUuid(s);
      if (!id) ctx.addIssue({ code: "custom", message: "expected the next_cursor of a previous page" });
      return id;
    }),
  search: z.string().optional(),
});

function workflowRoutes(app: Hono, svc: Services, runSvc: RunServices): void {
  app.post("/workflows", async (c) => {
    const b = await body(c.req.raw, createBody);
    const wf = await createWorkflow(svc, {
      name: b.name,
      description: b.description ?? null,
      graph: b.graph_json,
      message: b.message ?? null,
      ...(b.expose_as_tool !== undefined ? { exposeAsTool: b.expose_as_tool } : {}),
    });
    return c.json({ id: wf.id }, 201);
  });
  app.get("/workflows", async (c) => {
    const q = query(c, listQuery);
    const rows = await listWorkflows(svc, { search: q.search ?? null, take: q.limit + 1, cursor: q.cursor ?? null });
    const page = rows.slice(0, q.limit);
    return c.json({
      items: page.map(serializeWorkflow),
      next_cursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
    });
  });
  app.get("/workflows/:id", async (c) =>
    c.json(serializeWorkflow(await getWorkflow(svc, idParam(c, "id", "workflow")))),
  );
  app.put("/workflows/:id", async (c) => {
    const b = await body(c.req.raw, updateBody);
    const wf = await updateWorkflow(svc, idParam(c, "id", "workflow"), {
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.graph_json !== undefined ? { graph: b.graph_json } : {}),
      ...(b.message !== undefined ? { message: b.message } : {}),
      ...(b.expose_as_tool !== undefined ? { exposeAsTool: b.expose_as_tool } : {}),
    });
    return c.json(serializeWorkflow(wf));
  });
  app.delete("/workflows/:id", async (c) => {
    await deleteWorkflow(svc, idParam(c, "id", "workflow"));
    return c.body(null, 204);
  });
  app.post("/workflows/:id/runs", async (c) => {
    const b = await body(c.req.raw, runBody);
    const run = await startRun(runSvc, {
      workflowId: idParam(c, "id", "workflow"),
      inputVars: b.input_vars ?? {},
      triggeredBy: "api",
      trace: traceHeaders(c),
      attribution: attributionOf(b),
    });
    return c.json({ runId: run.id }, 202);
  });
}

/** The W3C trace context a caller sent (its run becomes a child of the caller's span). */
const traceHeaders = (c: { req: { header(name: string): string | undefined } }) => ({
  traceparent: c.req.header("traceparent") ?? null,
  tracestate: c.req.header("tracestate") ?? null,
});

/** A path parameter naming a version: a positive integer, or a 404 naming what does not exist. */
function versionParam(c: ParamSource, workflowId: Uuid, name = "version"): number {
  const text = c.req.param(name) ?? "";
  const version = /^[1-9]\d{0,8}$/.test(text) ? Number(text) : null;
  if (version === null) throw new NotFoundError(`workflow ${workflowId} has no version ${text}`);
  return version;
}

function versionRoutes(app: Hono, svc: Services): void {
  const workflowId = (c: ParamSource) => idParam(c, "id", "workflow");
  app.get("/workflows/:id/versions", async (c) => {
    const versions = await listVersions(svc, workflowId(c));
    return c.json({ items: versions.map(serializeVersion) });
  });
  app.get("/workflows/:id/versions/:version", async (c) => {
    const id = workflowId(c);
    const v = await getVersion(svc, id, versionParam(c, id));
    return c.json({ ...serializeVersion(v), graph_json: v.graphJson });
  });
  app.post("/workflows/:id/versions/:version/restore", async (c) => {
    const id = workflowId(c);
    return c.json(serializeWorkflow(await restoreVersion(svc, id, versionParam(c, id))));
  });
  app.get("/workflows/:id/versions/:a/diff/:b", async (c) => {
    const id = workflowId(c);
    const [a, b] = [versionParam(c, id, "a"), versionParam(c, id, "b")];
    return c.json({ from_version: a, to_version: b, ...(await diffVersions(svc, id, a, b)) });
  });
}

function runRoutes(app: Hono, deps: ApiDeps, runSvc: RunServices): void {
  const findRun = (c: ParamSource) => getRun(deps, idParam(c, "runId", "run"));

  app.get("/runs/:runId", async (c) => {
    const run = await findRun(c);
    const [steps, pending, children] = await Promise.all([
      listSteps(deps, run.id),
      run.status === "waiting" ? pendingApprovalsWithin(deps, run.id) : [],
      listChildRuns(deps, run.id),
    ]);
    const approval = pending[0];
    return c.json({
      ...serializeRun(run),
      pending_approval: approval ? serializeApproval(approval) : null,
      steps: steps.map(serializeStep),
      child_runs: children.map(serializeRun),
    });
  });
  // One step with its full output (trace events carry at most 64 KiB of a value, marked when cut).
  app.get("/runs/:runId/steps/:stepId", async (c) => {
    const run = await findRun(c);
    const step = await getStep(deps, run.id, c.req.param("stepId"));
    return c.json({ ...serializeStep(step), output: step.output ?? null });
  });
  app.get("/runs/:runId/trace", async (c) => {
    const run = await findRun(c);
    const q = query(c, pageQuery);
    const page = await tracePage(deps, run.id, q.after, q.limit);
    const next = page.length === q.limit ? (page.at(-1)?.seq ?? null) : null;
    return c.json({ events: page.map(serializeEvent), next_after: next });
  });
  app.get("/runs/:runId/diff", async (c) => {
    const id = idParam(c, "runId", "run");
    const againstText = c.req.query("against");
    if (!againstText) throw new BadRequest("invalid query: against must name the run to compare with");
    const against = parseUuid(againstText);
    if (!against) throw new NotFoundError(`run ${againstText} does not exist`);
    return c.json({ run_id: id, against, ...serializeRunDiff(await diffRunsById(deps, id, against)) });
  });
  app.post("/runs/:runId/rerun", async (c) => {
    const b = await body(c.req.raw, rerunBody);
    const { run, plan } = await rerunOrReplay(runSvc, idParam(c, "runId", "run"), b, traceHeaders(c));
    return c.json(serializeRerun(run.id, plan), 202);
  });
  app.post("/runs/:runId/cancel", async (c) => {
    const id = idParam(c, "runId", "run");
    const run = await getRun(deps, id);
    const canceled = await cancelRun(runSvc, id);
    if (!canceled) {
      return c.json(errorBody("conflict", `run ${run.id} already finished with status ${run.status}`), 409);
    }
    return c.json({ runId: run.id, canceled: true }, 202);
  });
}

const decisionBody = z.strictObject({
  decision: z.enum(["approve", "reject"], { message: 'expected decision to be "approve" or "reject"' }),
  comment: z.string().max(10_000).nullish(),
});
/** `POST /api/approvals/:approvalId`: a tool approval may carry edited `args`, a budget one `extend_cents`. */
const decisionByIdBody = decisionBody.extend({
  args: z.record(z.string(), z.unknown()).optional(),
  extend_cents: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,6})?$/, { message: 'expected US cents as a decimal string, e.g. "5"' })
    .refine((v) => Number(v) > 0, { message: "expected more than 0 cents" })
    .optional(),
});
const approvalsQuery = z.strictObject({
  status: z
    .literal("pending", { message: "expected status=pending (only pending approvals are listed)" })
    .default("pending"),
  run_id: z.string().optional(),
});

/**
 * Deciding an approval (POST only: a GET, a link preview or a crawler never decides) and the list
 * of what waits. The decider's name comes from the X-FlowTrace-Actor header when given.
 */
function approvalRoutes(app: Hono, runSvc: RunServices): void {
  app.post("/runs/:runId/approvals/:nodeId", async (c) => {
    const runId = idParam(c, "runId", "run");
    const b = await body(c.req.raw, decisionBody);
    const run = await decideApproval(runSvc, {
      runId,
      nodeId: c.req.param("nodeId"),
      decision: b.decision,
      comment: b.comment ?? null,
      decidedBy: actorFor(requestScope().caller, c.req.header("x-flowtrace-actor"), "api"),
    });
    return c.json({ ...serializeRun(run), pending_approval: null });
  });
  app.post("/approvals/:approvalId", async (c) => {
    const b = await body(c.req.raw, decisionByIdBody);
    const run = await decideApprovalById(runSvc, {
      approvalId: idParam(c, "approvalId", "approval"),
      decision: b.decision,
      comment: b.comment ?? null,
      args: b.args,
      extendCents: b.extend_cents,
      decidedBy: actorFor(requestScope().caller, c.req.header("x-flowtrace-actor"), "api"),
    });
    return c.json({ ...serializeRun(run), pending_approval: null });
  });
  app.get("/approvals", async (c) => {
    const q = query(c, approvalsQuery);
    const runId = q.run_id === undefined ? undefined : parseUuid(q.run_id);
    if (runId === null) throw new BadRequest("invalid query: run_id must be a run id");
    const pending = await listPendingApprovals(runSvc, runId ? { runId } : {});
    return c.json({ approvals: pending.map(serializeApproval) });
  });
}

/**
 * SSE frames of stored events, written as one chunk per batch (a replayed page, or a live
 * publication) instead of one write per event. Same frames as `writeSSE` would build: the data is
 * one line (JSON never holds a raw line break).
 */
function traceFrames(batch: readonly EventJson[]): string {
  let frames = "";
  for (const e of batch) frames += `event: trace\ndata: ${e.data}\nid: ${e.seq}\n\n`;
  return frames;
}

const sseForm = eventJson(serializedEventJson);

/** The live trace over SSE: replay after Last-Event-ID (or ?after), then live events, deltas and heartbeats. */
function streamRoute(app: Hono, deps: ApiDeps): void {
  const findRun = (c: ParamSource) => getRun(deps, idParam(c, "runId", "run"));
  app.get("/runs/:runId/stream", async (c) => {
    const run = await findRun(c);
    const lastEventId = c.req.header("last-event-id") ?? c.req.query("after");
    // seq is a 32-bit integer: a larger resume point means "after everything".
    const afterSeq = lastEventId && /^\d+$/.test(lastEventId) ? Math.min(Number(lastEventId), 2 ** 31 - 1) : 0;
    // Nothing left to send: 204 tells an EventSource to stop (an empty 200 makes it reconnect forever).
    if (await traceEndedBy(deps, run.id, afterSeq)) return c.body(null, 204);
    return streamSSE(c, async (stream) => {
      const controller = new AbortController();
      stream.onAbort(() => controller.abort());
      const heartbeat = setInterval(() => {
        void stream.write(": heartbeat\n\n").catch(() => controller.abort());
      }, deps.heartbeatMs ?? 15_000);
      const unsubscribe = await deps.pubsub.subscribe(channels.deltas(run.id), (m) => {
        const d = m as DeltaEvent;
        void stream
          .writeSSE({
            event: "delta",
            data: JSON.stringify({ ts: d.ts, kind: d.kind, step_id: d.stepId, text: d.text }),
          })
          .catch(() => {});
      });
      try {
        for await (const batch of readTraceBatches(deps, run.id, sseForm, {
          afterSeq,
          signal: controller.signal,
          pageSize: 5_000,
        })) {
          await stream.write(traceFrames(batch));
        }
      } finally {
        clearInterval(heartbeat);
        await unsubscribe();
      }
    });
  });
}

export function apiRoutes(deps: ApiDeps) {
  const app = new Hono();
  // `deps` as it is: its prisma may be the request's project-scoped client, read at each use (http/caller.ts).
  const svc: Services = deps;
  const runSvc: RunServices = deps;
  app.onError(respondWithError(deps.logger));
  app.use("*", refuseUnstorableUrls);
  workflowRoutes(app, svc, runSvc);
  versionRoutes(app, svc);
  runRoutes(app, deps, runSvc);
  approvalRoutes(app, runSvc);
  evalRoutes(app, runSvc);
  projectRoutes(app, svc);
  memberRoutes(app, deps);
  spendRoutes(app, svc);
  secretRoutes(app, deps);
  mcpServerRoutes(app, deps);
  streamRoute(app, deps);
  app.all("*", (c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  return app;
}
