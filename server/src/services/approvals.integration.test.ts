/**
 * Approval nodes end to end over REST, in embedded mode (in-process queue and pub/sub) and server
 * mode (BullMQ and Redis pub/sub): a run waits holding no job, a decision resumes it exactly once,
 * only the chosen branch runs, and nothing before the gate is called again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishedRun, restClient, waitingRun } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { gatedWorkflow } from "../../test/helpers/workflows.ts";
import { decideApproval, resolveExpiredApprovals } from "./approvals.ts";
import { requeueStaleQueuedRuns } from "./runs.ts";

type Call = ReturnType<typeof restClient>;

async function startGated(call: Call, doc: Record<string, unknown>, topic: string, limits?: object) {
  const graph = limits ? { ...doc, limits } : doc;
  const { body: wf } = await call("POST", "/api/workflows", { name: `gated ${topic}`, graph_json: graph });
  const { status, body } = await call("POST", `/api/workflows/${wf.id}/runs`, { input_vars: { topic } });
  expect(status).toBe(202);
  return body.runId as string;
}

const kindsOf = async (call: Call, runId: string) =>
  (await call("GET", `/api/runs/${runId}/trace?limit=1000`)).body.events.map((e: { kind: string }) => e.kind);

const byNode = (run: { steps: { node_id: string; status: string }[] }) =>
  Object.fromEntries(run.steps.map((s) => [s.node_id, s.status]));

describe.each([
  ["embedded", false],
  ["server", true],
])("approvals (%s mode)", (_mode, redis) => {
  let stack: Stack;
  let call: Call;
  beforeAll(async () => {
    stack = await startStack({ redis, latencyMs: 2 });
    call = restClient(() => stack.url);
  });
  afterAll(() => stack.close());

  const promptsFor = (topic: string) =>
    stack.sim.calls.filter((c) => c.prompt?.includes(topic)).map((c) => c.prompt?.split(" ")[0]);

  it("waits at the gate with no job, and an approval resumes it once: only the approved branch runs", async () => {
    const topic = `approve-${redis}`;
    const runId = await startGated(call, gatedWorkflow(), topic);
    const waiting = await waitingRun(call, runId);
    expect(byNode(waiting)).toMatchObject({ draft: "succeeded", gate: "waiting", publish: "queued" });
    expect(waiting.pending_approval).toMatchObject({ node_id: "gate", run_id: runId, on_timeout: "fail" });
    expect(waiting.pending_approval.message).toMatch(/^Publish this\? /);
    expect(waiting.pending_approval.inputs.draft).toEqual(expect.any(String));
    const listed = await call("GET", "/api/approvals?status=pending");
    expect(listed.body.approvals.map((a: { run_id: string }) => a.run_id)).toContain(runId);
    expect(listed.body.approvals.find((a: { run_id: string }) => a.run_id === runId)).toMatchObject({
      workflow_name: `gated ${topic}`,
      node_id: "gate",
      deadline: null,
    });
    expect(await kindsOf(call, runId)).toContain("approval.requested");
    // No job holds the run while it waits.
    if (redis) expect(await activeJobs(stack)).toBe(0);

    const decided = await call(
      "POST",
      `/api/runs/${runId}/approvals/gate`,
      { decision: "approve", comment: "ship it" },
      { "x-flowtrace-actor": "dana" },
    );
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ id: runId, pending_approval: null });
    const run = await finishedRun(call, runId);
    expect(run.status).toBe("succeeded");
    expect(byNode(run)).toEqual({ draft: "succeeded", gate: "succeeded", publish: "succeeded", revise: "skipped" });
    const gate = await call("GET", `/api/runs/${runId}/steps/gate`);
    expect(gate.body.output).toMatchObject({ decision: "approved", comment: "ship it", decided_by: "dana" });
    expect(promptsFor(topic)).toEqual(["DRAFT", "PUBLISH"]);
    const kinds = await kindsOf(call, runId);
    expect(kinds.filter((k: string) => k === "approval.requested")).toHaveLength(1);
    expect(kinds.filter((k: string) => k === "approval.resolved")).toHaveLength(1);
    expect(kinds.filter((k: string) => k === "run.started")).toHaveLength(1);
    expect(kinds.at(-1)).toBe("run.finished");

    const again = await call("POST", `/api/runs/${runId}/approvals/gate`, { decision: "reject" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already decided \(approved by dana\)/);
  });

  it("GraphQL: pendingApprovals, Run.pendingApproval and decideApproval (a second one is a ConflictError)", async () => {
    const runId = await startGated(call, gatedWorkflow(), `graphql-${redis}`);
    await waitingRun(call, runId);
    const gql = async (query: string, variables: object = {}) =>
      (await call("POST", "/graphql", { query, variables }, { "x-flowtrace-actor": "sam" })).body;
    const pending = await gql(
      `query($id: ID!) { pendingApprovals(runId: $id) { nodeId message run { id status } }
        run(id: $id) { status waitedMs pendingApproval { nodeId onTimeout deadline } } }`,
      { id: runId },
    );
    expect(pending.errors).toBeUndefined();
    expect(pending.data.pendingApprovals).toEqual([
      { nodeId: "gate", message: expect.stringMatching(/^Publish this\?/), run: { id: runId, status: "waiting" } },
    ]);
    expect(pending.data.run).toMatchObject({ status: "waiting", pendingApproval: { nodeId: "gate", deadline: null } });
    const decide = `mutation($id: ID!) { decideApproval(runId: $id, nodeId: "gate", decision: reject, comment: "no") {
        __typename ... on Run { id status } ... on ConflictError { message } } }`;
    expect((await gql(decide, { id: runId })).data.decideApproval).toEqual({
      __typename: "Run",
      id: runId,
      status: "queued",
    });
    expect((await gql(decide, { id: runId })).data.decideApproval.__typename).toBe("ConflictError");
    const run = await finishedRun(call, runId);
    expect(byNode(run)).toMatchObject({ revise: "succeeded", publish: "skipped" });
    const gate = await call("GET", `/api/runs/${runId}/steps/gate`);
    expect(gate.body.output).toMatchObject({ decision: "rejected", comment: "no", decided_by: "sam" });
  });

  it("a rejection runs the rejected branch only", async () => {
    const topic = `reject-${redis}`;
    const runId = await startGated(call, gatedWorkflow(), topic);
    await waitingRun(call, runId);
    expect((await call("POST", `/api/runs/${runId}/approvals/gate`, { decision: "reject" })).status).toBe(200);
    const run = await finishedRun(call, runId);
    expect(byNode(run)).toMatchObject({ publish: "skipped", revise: "succeeded" });
    expect(promptsFor(topic)).toEqual(["DRAFT", "REVISE"]);
    const gate = await call("GET", `/api/runs/${runId}/steps/gate`);
    expect(gate.body.output).toMatchObject({ decision: "rejected", comment: null, decided_by: "api" });
  });

  it("two decisions at the same moment: one wins, the other gets 409, the run resumes once", async () => {
    const topic = `race-${redis}`;
    const runId = await startGated(call, gatedWorkflow(), topic);
    await waitingRun(call, runId);
    const answers = await Promise.all(
      ["approve", "reject", "approve", "reject"].map((decision) =>
        call("POST", `/api/runs/${runId}/approvals/gate`, { decision }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    const run = await finishedRun(call, runId);
    expect(run.status).toBe("succeeded");
    const kinds = await kindsOf(call, runId);
    expect(kinds.filter((k: string) => k === "approval.resolved")).toHaveLength(1);
    expect(promptsFor(topic)).toHaveLength(2);
  });

  it("answers 404, 409 and 400 for what cannot be decided", async () => {
    const runId = await startGated(call, gatedWorkflow(), `errors-${redis}`);
    await waitingRun(call, runId);
    const post = (path: string, body: unknown) => call("POST", path, body);
    expect((await post(`/api/runs/${crypto.randomUUID()}/approvals/gate`, { decision: "approve" })).status).toBe(404);
    expect((await post(`/api/runs/${runId}/approvals/nope`, { decision: "approve" })).status).toBe(404);
    expect((await post(`/api/runs/${runId}/approvals/draft`, { decision: "approve" })).status).toBe(404);
    const bad = await post(`/api/runs/${runId}/approvals/gate`, { decision: "maybe" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0]).toMatchObject({ path: "decision" });
    expect((await post(`/api/runs/${runId}/approvals/gate`, "{not json")).status).toBe(400);
    expect((await call("GET", `/api/runs/${runId}/approvals/gate`)).status).toBe(404); // a GET never decides
    expect((await call("GET", "/api/approvals?status=approved")).status).toBe(400);
    expect((await call("GET", `/api/runs/${runId}`)).body.status).toBe("waiting");
    // A gate the run has not reached (it finished before) is not waiting: 409.
    expect((await post(`/api/runs/${runId}/approvals/gate`, { decision: "approve" })).status).toBe(200);
    await finishedRun(call, runId);
    expect((await post(`/api/runs/${runId}/approvals/gate`, { decision: "approve" })).status).toBe(409);
  });

  it("a decision taken while the queue is away is kept, and the stale-run sweep resumes the run", async () => {
    const runId = await startGated(call, gatedWorkflow(), `queue-away-${redis}`);
    await waitingRun(call, runId);
    const awayQueue = {
      enqueue: async () => {
        throw new Error("the job queue is unavailable");
      },
    };
    const run = await decideApproval(
      { prisma: stack.prisma, queue: awayQueue },
      { runId: runId as never, nodeId: "gate", decision: "approve", decidedBy: "test" },
    );
    expect(run).toMatchObject({ status: "queued", jobId: expect.stringMatching(/^resume-/) });
    const requeued = await requeueStaleQueuedRuns({ prisma: stack.prisma, queue: stack.queue }, { olderThanMs: 0 });
    expect(requeued).toContain(runId);
    const finished = await finishedRun(call, runId);
    expect(byNode(finished)).toMatchObject({ publish: "succeeded", revise: "skipped" });
    expect(promptsFor(`queue-away-${redis}`)).toEqual(["DRAFT", "PUBLISH"]);
  });

  it("cancel works while waiting: the run ends canceled, its approval can no longer be decided", async () => {
    const runId = await startGated(call, gatedWorkflow(), `cancel-${redis}`);
    await waitingRun(call, runId);
    expect((await call("POST", `/api/runs/${runId}/cancel`)).status).toBe(202);
    const run = await finishedRun(call, runId);
    expect(run).toMatchObject({ status: "canceled", error_summary: "canceled while waiting for approval" });
    expect(byNode(run)).toMatchObject({ draft: "succeeded", gate: "canceled", publish: "canceled" });
    expect((await call("POST", `/api/runs/${runId}/approvals/gate`, { decision: "approve" })).status).toBe(409);
    expect((await call("GET", "/api/approvals")).body.approvals.map((a: { run_id: string }) => a.run_id)).not.toContain(
      runId,
    );
    expect((await kindsOf(call, runId)).at(-1)).toBe("run.finished");
  });

  it("the run's timeout counts active time, not the time spent waiting", async () => {
    const runId = await startGated(call, gatedWorkflow(), `active-${redis}`, { timeoutSeconds: 1 });
    await waitingRun(call, runId);
    await new Promise((r) => setTimeout(r, 1_300));
    expect((await call("POST", `/api/runs/${runId}/approvals/gate`, { decision: "approve" })).status).toBe(200);
    const run = await finishedRun(call, runId);
    expect(run.status).toBe("succeeded");
    expect(run.waited_ms).toBeGreaterThanOrEqual(1_200);
  });

  it.each([
    ["approve", "succeeded", { publish: "succeeded", revise: "skipped" }],
    ["reject", "succeeded", { publish: "skipped", revise: "succeeded" }],
    ["fail", "failed", { gate: "failed", publish: "canceled" }],
  ] as const)("a deadline with onTimeout %s", async (onTimeout, status, steps) => {
    const runId = await startGated(
      call,
      gatedWorkflow({ timeoutSeconds: 60, onTimeout }),
      `timeout-${onTimeout}-${redis}`,
    );
    const waiting = await waitingRun(call, runId);
    expect(Date.parse(waiting.pending_approval.deadline) - Date.parse(waiting.pending_approval.since)).toBe(60_000);
    expect(await resolveExpiredApprovals({ prisma: stack.prisma, queue: stack.queue })).toEqual([]); // not due yet
    const later = new Date(Date.now() + 61_000);
    const resolved = await resolveExpiredApprovals({ prisma: stack.prisma, queue: stack.queue }, { now: later });
    expect(resolved).toEqual([waiting.pending_approval.id]);
    const run = await finishedRun(call, runId);
    expect(run.status).toBe(status);
    expect(byNode(run)).toMatchObject(steps);
    if (onTimeout === "fail") expect(run.error_summary).toMatch(/approval at gate timed out after 60 s/);
    else {
      const gate = await call("GET", `/api/runs/${runId}/steps/gate`);
      expect(gate.body.output).toMatchObject({ decided_by: "timeout", comment: "no decision within 61 s" });
    }
    expect(await resolveExpiredApprovals({ prisma: stack.prisma, queue: stack.queue }, { now: later })).toEqual([]);
  });
});

/** BullMQ jobs being worked on, in the stack's queue prefix. */
async function activeJobs(stack: Stack): Promise<number> {
  const { Queue } = await import("bullmq");
  const { inject } = await import("vitest");
  const q = new Queue("runs", { prefix: stack.prefix, connection: { url: inject("redisUrl") } });
  try {
    return await q.getActiveCount();
  } finally {
    await q.close();
  }
}
