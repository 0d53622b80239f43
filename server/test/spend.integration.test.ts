/**
 * Who spent what, against a real server, PostgreSQL and the real SDKs on the simulator: runs carry
 * user_id, session_id and tags (REST and GraphQL, inherited by re-runs, filterable); the spend per
 * end user equals the sum of those users' runs to the last decimal; a hard budget refuses new runs
 * with 402 budget_exceeded (REST and GraphQL), stops a running run before its next paid call, and
 * the alert webhook receives signed deliveries (verified here with the secret, retried after a 500).
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../src/db/prisma.ts";
import { deliverDueAlerts } from "../src/services/alert-delivery.ts";
import { type Stack, startStack } from "./helpers/stack.ts";
import { chainOf, llmNode } from "./helpers/workflows.ts";

const TOKEN = "s".repeat(32);
let stack: Stack;
let hook: Server;
let hookUrl = "";
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let failNext = 1;
const ids = { project: "", workflow: "", twoSteps: "" };
/** FLOWTRACE_FETCH_ALLOW for the test's webhook receiver (a loopback address). */
let allow: string[] = [];

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Json = any;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}

async function finished(runId: string): Promise<Json> {
  for (;;) {
    const r = await call("GET", `/api/runs/${runId}`);
    if (["succeeded", "failed", "canceled"].includes(r.body.status)) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runFor(workflow: string, attribution: Record<string, unknown>, topic = "t") {
  const started = await call("POST", `/api/workflows/${workflow}/runs`, { input_vars: { topic }, ...attribution });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return finished(started.body.runId);
}

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      if (failNext-- > 0) res.writeHead(500).end("try later");
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  allow = [new URL(hookUrl).host];
  stack = await startStack({ latencyMs: 150, apiToken: TOKEN });
  ids.project = (await call("GET", "/api/projects")).body.items[0].id;
  const doc = chainOf([llmNode("a")]);
  ids.workflow = (await call("POST", "/api/workflows", { name: "one", graph_json: doc })).body.id;
  const two = chainOf([llmNode("a"), llmNode("b", {}, { after: "a" })]);
  ids.twoSteps = (await call("POST", "/api/workflows", { name: "two", graph_json: two })).body.id;
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => hook.close(() => resolve()));
});

describe("who spent what", () => {
  const runs: Json[] = [];

  it("stores user_id, session_id and tags, filters runs by them, and re-runs inherit them", async () => {
    runs.push(await runFor(ids.workflow, { user_id: "alice", session_id: "s1", tags: ["chat", "beta"] }));
    runs.push(await runFor(ids.workflow, { user_id: "alice", tags: ["chat"] }));
    runs.push(await runFor(ids.twoSteps, { user_id: "bob" }));
    runs.push(await runFor(ids.workflow, {}));
    expect(runs[0]).toMatchObject({ user_id: "alice", session_id: "s1", tags: ["chat", "beta"], status: "succeeded" });
    const gql = await call("POST", "/graphql", {
      query: '{ runs(userId: "alice") { edges { node { id userId sessionId tags } } } }',
    });
    expect(gql.body.data.runs.edges.map((e: Json) => e.node.id).sort()).toEqual([runs[0].id, runs[1].id].sort());
    const tagged = await call("POST", "/graphql", { query: '{ runs(tag: "beta") { edges { node { id } } } }' });
    expect(tagged.body.data.runs.edges.map((e: Json) => e.node.id)).toEqual([runs[0].id]);
    const rerun = await call("POST", `/api/runs/${runs[0].id}/rerun`, { replay: true });
    runs.push(await finished(rerun.body.runId));
    expect(runs[4]).toMatchObject({ user_id: "alice", tags: ["chat", "beta"] });
    const bad = await call("POST", `/api/workflows/${ids.workflow}/runs`, { tags: ["has space"] });
    expect(bad).toMatchObject({ status: 400, body: { error: { issues: [{ path: "tags.0" }] } } });
  });

  it("sums spend per end user exactly as the runs do", async () => {
    const spend = await call("GET", `/api/projects/${ids.project}/spend?group_by=end_user`);
    expect(spend.status, JSON.stringify(spend.body)).toBe(200);
    for (const user of ["alice", "bob", null]) {
      const mine = runs.filter((r) => r.user_id === user);
      const expected = mine.reduce((sum, r) => sum.add(r.total_cost_cents), new Prisma.Decimal(0));
      const group = spend.body.items.find((g: Json) => g.key === user);
      expect(group.runs).toBe(mine.length);
      expect(new Prisma.Decimal(group.cost_cents).equals(expected), `${user}: ${group.cost_cents} vs ${expected}`).toBe(
        true,
      );
      expect(group.cost_complete).toBe(true);
    }
    expect(new Prisma.Decimal(spend.body.items[0].cost_cents).greaterThan(0)).toBe(true);
    const byTag = await call("GET", `/api/projects/${ids.project}/spend?group_by=tag`);
    expect(byTag.body.items.find((g: Json) => g.key === "chat").runs).toBe(3); // two runs and the replay
    const byModel = await call("GET", `/api/projects/${ids.project}/spend?group_by=model`);
    expect(byModel.body.items.map((g: Json) => g.key)).toContain("openai/gpt-4o-mini");
    const byWorkflow = await call("GET", `/api/projects/${ids.project}/spend?group_by=workflow`);
    expect(byWorkflow.body.items.map((g: Json) => g.label).sort()).toEqual(["one", "two"]);
    const wrong = await call("GET", `/api/projects/${ids.project}/spend?group_by=planet`);
    expect(wrong.status).toBe(400);
  });

  it("alerts at the threshold with a signed delivery, retried after a failure", async () => {
    const alert = await call("POST", `/api/projects/${ids.project}/alerts`, {
      url: hookUrl,
      events: ["budget.threshold", "budget.exceeded", "run.failed"],
    });
    expect(alert.status, JSON.stringify(alert.body)).toBe(201);
    expect(alert.body.secret).toMatch(/^whsec_/);
    const spent = (await call("GET", `/api/projects/${ids.project}/budget`)).body.spent_cents;
    const limit = new Prisma.Decimal(spent).add("0.000001").toFixed(6);
    const budget = await call("PUT", `/api/projects/${ids.project}/budget`, {
      monthly_limit_cents: limit,
      alert_at_percent: 50,
      hard_stop: true,
    });
    expect(budget.body).toMatchObject({ monthly_limit_cents: new Prisma.Decimal(limit).toString(), hard_stop: true });
    // A webhook on a loopback address is refused (SSRF) unless FLOWTRACE_FETCH_ALLOW lists it.
    expect(await deliverDueAlerts(stack.prisma, { allow: [] })).toBe(0);
    const refused = (await call("GET", `/api/projects/${ids.project}/alerts/deliveries`)).body.items;
    expect(refused[0]).toMatchObject({ status: "pending", attempts: 1, last_status_code: null });
    expect(refused[0].last_error).toMatch(
      /^refusing to fetch http:\/\/127\.0\.0\.1:\d+: 127\.0\.0\.1 is a loopback address/,
    );
    expect(received).toHaveLength(0);
    const skipBackoff = () => stack.prisma.alertDelivery.updateMany({ data: { nextAttemptAt: new Date() } });
    await skipBackoff();
    expect(await deliverDueAlerts(stack.prisma, { allow })).toBe(0); // the receiver answers 500 first
    const deliveries = (await call("GET", `/api/projects/${ids.project}/alerts/deliveries`)).body.items;
    expect(deliveries[0]).toMatchObject({
      event: "budget.threshold",
      status: "pending",
      attempts: 2,
      last_status_code: 500,
    });
    await skipBackoff();
    expect(await deliverDueAlerts(stack.prisma, { allow })).toBe(1);
    const last = received.at(-1);
    const [t, v1] = String(last?.headers["x-flowtrace-signature"])
      .split(",")
      .map((p) => p.split("=")[1]);
    const expected = createHmac("sha256", alert.body.secret).update(`${t}.${last?.body}`).digest("hex");
    expect(v1).toBe(expected);
    expect(JSON.parse(last?.body ?? "{}")).toMatchObject({
      event: "budget.threshold",
      monthly_limit_cents: expect.any(String),
    });
  });

  it("stops a running run before its next paid call once the hard budget is used up, then refuses new runs (402)", async () => {
    // A topic no run had: the exact-match cache cannot answer, the first step pays.
    const run = await runFor(ids.twoSteps, { user_id: "carol" }, "a topic nobody asked about");
    const steps = await stack.prisma.runStep.findMany({ where: { runId: run.id }, orderBy: { startedAt: "asc" } });
    expect(steps.map((s) => [s.nodeId, s.status])).toEqual([
      ["a", "succeeded"],
      ["b", "failed"],
    ]);
    expect(run.status).toBe("failed");
    expect(run.error_summary).toMatch(/^limit\.project_budget: the project's monthly budget of .* cents is used up/);
    const refused = await call("POST", `/api/workflows/${ids.workflow}/runs`, { input_vars: { topic: "t" } });
    expect(refused).toMatchObject({ status: 402, body: { error: { code: "budget_exceeded" } } });
    const gql = await call("POST", "/graphql", {
      query: `mutation { startRun(workflowId: "${ids.workflow}") { __typename } }`,
    });
    expect(gql.body.errors[0].extensions.code).toBe("BUDGET_EXCEEDED");
    await deliverDueAlerts(stack.prisma, { allow });
    const events = received.map((r) => JSON.parse(r.body).event);
    expect(events).toEqual(expect.arrayContaining(["budget.exceeded", "run.failed"]));
  });
});
