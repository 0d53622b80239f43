/**
 * Starting a run while Redis (the job queue) is unreachable: the API answers 503 within the enqueue
 * timeout instead of hanging, the run it created is failed with the reason (never left `queued`, never
 * started later behind the caller's back), and runs start again once Redis is back.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uniqueName } from "../../test/helpers/db.ts";
import { TcpProxy, until } from "../../test/helpers/process.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { createBullmqQueue } from "../queue/bullmq-queue.ts";

let stack: Stack;
let proxy: TcpProxy;
beforeAll(async () => {
  const redis = new URL(inject("redisUrl"));
  proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
  await proxy.open();
  const viaProxy = new URL(redis);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const queue = createBullmqQueue(viaProxy.toString(), { prefix: uniqueName("ftqout"), enqueueTimeoutMs: 500 });
  stack = await startStack({ queue });
});
afterAll(async () => {
  await stack.close();
  await proxy.cut();
});

const flow = {
  version: "1",
  entry: "a",
  nodes: [
    { id: "a", type: "llm", name: "A", config: { provider: "openai", model: "gpt-4o-mini" }, inputs: { text: "hi" } },
  ],
  edges: [],
};

async function post(path: string, body: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("job queue outage", () => {
  it("answers 503 while Redis is away, fails the run it could not queue, and starts runs again after", async () => {
    const { body: wf } = await post("/api/workflows", { name: "queue outage", graph_json: flow });
    await proxy.cut();

    const refused = await post(`/api/workflows/${wf.id}/runs`, {});
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(refused.body).toEqual({
      error: {
        code: "unavailable",
        message: "the job queue is unavailable; the run was not started; try again shortly",
      },
    });
    const gql = await post("/graphql", {
      query: `mutation($w: ID!) { startRun(workflowId: $w) { __typename } }`,
      variables: { w: wf.id },
    });
    expect(gql.body.errors).toEqual([
      expect.objectContaining({
        message: "the job queue is unavailable; the run was not started; try again shortly",
        extensions: expect.objectContaining({ code: "SERVICE_UNAVAILABLE" }),
      }),
    ]);

    const runs = await stack.prisma.workflowRun.findMany({ where: { workflowId: String(wf.id) } });
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run.status).toBe("failed");
      expect(run.errorSummary).toBe("not started: the job queue (Redis) was unavailable");
      const events = await stack.prisma.traceEvent.findMany({ where: { runId: run.id } });
      expect(events.map((e) => e.kind)).toEqual(["run.finished"]);
    }

    await proxy.open();
    // Redis is back: the queue's connection comes back by itself (ioredis reconnects with back-off).
    await until(
      () => stack.queue.ping(500).then(() => true),
      (ok) => ok,
    );
    const started = await post(`/api/workflows/${wf.id}/runs`, {});
    expect(started.status).toBe(202);
    const done = await until(
      () => stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: String(started.body.runId) } }),
      (r) => r.status === "succeeded",
    );
    expect(done.status).toBe("succeeded");
    // The refused runs stayed failed: a late enqueue, had one got through, would have found them finished.
    const after = await stack.prisma.workflowRun.findMany({ where: { id: { in: runs.map((r) => r.id) } } });
    expect(after.map((r) => r.status)).toEqual(["failed", "failed"]);
  });
});
