/**
 * Projects keep to themselves: with everything made in `default` (a workflow, a finished run, a
 * dataset, an experiment), a caller acting in another project gets 404 from every route that names
 * one of them — REST, the SSE stream, GraphQL queries, mutations and subscriptions — and sees none
 * of them in a list; the same requests in `default` find them (so the ids are right).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../helpers/stack.ts";
import { chainOf, llmNode } from "../helpers/workflows.ts";

const TOKEN = "p".repeat(32);
let stack: Stack;
let beta: string;
const ids = { workflow: "", run: "", dataset: "", experiment: "", step: "" };

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Json = any;
type Answer = { status: number; body: Json };

async function call(project: string | null, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
      ...(project ? { "x-flowtrace-project": project } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function finished(project: string | null, path: string, done: (b: Json) => boolean) {
  for (;;) {
    const r = await call(project, "GET", path);
    if (done(r.body)) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  stack = await startStack({ latencyMs: 1, apiToken: TOKEN });
  beta = (await call(null, "POST", "/api/projects", { name: "beta" })).body.id;
  ids.workflow = (
    await call(null, "POST", "/api/workflows", { name: "alpha wf", graph_json: chainOf([llmNode("a")]) })
  ).body.id;
  ids.run = (
    await call(null, "POST", `/api/workflows/${ids.workflow}/runs`, { input_vars: { topic: "x" } })
  ).body.runId;
  const run = await finished(null, `/api/runs/${ids.run}`, (b) => b.status === "succeeded");
  ids.step = run.steps[0].id;
  ids.dataset = (
    await call(null, "POST", "/api/datasets", { name: "alpha ds", items: [{ input_vars: { topic: "y" } }] })
  ).body.id;
  ids.experiment = (
    await call(null, "POST", `/api/workflows/${ids.workflow}/experiments`, {
      dataset_id: ids.dataset,
      scorers: [{ type: "contains" }],
    })
  ).body.experimentId;
  await finished(null, `/api/experiments/${ids.experiment}`, (b) => b.status === "succeeded");
});
afterAll(() => stack.close());

const routes = (): [string, string, unknown?][] => [
  ["GET", `/api/workflows/${ids.workflow}`],
  ["PUT", `/api/workflows/${ids.workflow}`, { name: "taken" }],
  ["POST", `/api/workflows/${ids.workflow}/runs`, {}],
  ["GET", `/api/workflows/${ids.workflow}/versions`],
  ["GET", `/api/workflows/${ids.workflow}/versions/1`],
  ["POST", `/api/workflows/${ids.workflow}/versions/1/restore`, {}],
  ["GET", `/api/workflows/${ids.workflow}/versions/1/diff/1`],
  ["GET", `/api/runs/${ids.run}`],
  ["GET", `/api/runs/${ids.run}/steps/${ids.step}`],
  ["GET", `/api/runs/${ids.run}/trace`],
  ["GET", `/api/runs/${ids.run}/diff?against=${ids.run}`],
  ["POST", `/api/runs/${ids.run}/rerun`, {}],
  ["POST", `/api/runs/${ids.run}/cancel`],
  ["POST", `/api/runs/${ids.run}/approvals/a`, { decision: "approve" }],
  ["GET", `/api/runs/${ids.run}/stream`],
  ["GET", `/api/datasets/${ids.dataset}`],
  ["PUT", `/api/datasets/${ids.dataset}`, { name: "taken" }],
  ["POST", `/api/datasets/${ids.dataset}/items`, { items: [{ input_vars: {} }] }],
  ["POST", `/api/datasets/${ids.dataset}/items/from-run`, { run_id: ids.run }],
  ["POST", `/api/workflows/${ids.workflow}/experiments`, { dataset_id: ids.dataset, scorers: [{ type: "contains" }] }],
  ["GET", `/api/workflows/${ids.workflow}/experiments`],
  ["GET", `/api/experiments/${ids.experiment}`],
  ["POST", `/api/experiments/${ids.experiment}/cancel`],
  ["GET", `/api/experiments/${ids.experiment}/compare?against=${ids.experiment}`],
  ["DELETE", `/api/datasets/${ids.dataset}`],
  ["DELETE", `/api/workflows/${ids.workflow}`],
];

async function gql(project: string | null, query: string, variables: object = {}) {
  return (await call(project, "POST", "/graphql", { query, variables })).body;
}

describe("another project", () => {
  it("gets 404 from every REST route naming an object of `default`, and changes nothing", async () => {
    for (const [method, path, body] of routes()) {
      const r = await call(beta, method, path, body);
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    expect((await call(null, "GET", `/api/workflows/${ids.workflow}`)).body.name).toBe("alpha wf");
    expect((await call(null, "GET", `/api/datasets/${ids.dataset}`)).body.item_count).toBe(1);
  });

  it("sees none of them in its lists", async () => {
    expect((await call(beta, "GET", "/api/workflows")).body.items).toEqual([]);
    expect((await call(beta, "GET", "/api/datasets")).body.items).toEqual([]);
    const list = await gql(
      beta,
      "{ workflows(first: 50) { edges { node { id } } } runs(first: 50) { edges { node { id } } } datasets { id } }",
    );
    expect(list.data).toEqual({ workflows: { edges: [] }, runs: { edges: [] }, datasets: [] });
    const own = await gql(null, "{ workflows(first: 50) { edges { node { id } } } }");
    expect(own.data.workflows.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(ids.workflow);
  });

  it("reads null and gets NotFoundError from GraphQL, and no live events", async () => {
    const read = await gql(
      beta,
      "query($w: ID!, $r: ID!, $s: ID!, $d: ID!, $e: ID!) { workflow(id: $w) { id } run(id: $r) { id } step(id: $s) { id } dataset(id: $d) { id } experiment(id: $e) { id } }",
      { w: ids.workflow, r: ids.run, s: ids.step, d: ids.dataset, e: ids.experiment },
    );
    expect(read.data).toEqual({ workflow: null, run: null, step: null, dataset: null, experiment: null });
    const mutations: [string, object][] = [
      ["mutation($id: ID!) { r: startRun(workflowId: $id) { __typename } }", { id: ids.workflow }],
      ["mutation($id: ID!) { r: cancelRun(runId: $id) { __typename } }", { id: ids.run }],
      ["mutation($id: ID!) { r: rerunRun(runId: $id) { __typename } }", { id: ids.run }],
      ['mutation($id: ID!) { r: updateWorkflow(id: $id, input: {name: "x"}) { __typename } }', { id: ids.workflow }],
      ["mutation($id: ID!) { r: deleteWorkflow(id: $id) { __typename } }", { id: ids.workflow }],
      ["mutation($id: ID!) { r: deleteDataset(id: $id) { __typename } }", { id: ids.dataset }],
      ["mutation($id: ID!) { r: cancelExperiment(id: $id) { __typename } }", { id: ids.experiment }],
      [
        'mutation($id: ID!) { r: decideApproval(runId: $id, nodeId: "a", decision: approve) { __typename } }',
        { id: ids.run },
      ],
    ];
    for (const [query, variables] of mutations) {
      const r = await gql(beta, query, variables);
      expect(r.data?.r?.__typename, `${query}: ${JSON.stringify(r)}`).toBe("NotFoundError");
    }
    const res = await fetch(`${stack.url}/graphql/stream`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${TOKEN}`,
        "x-flowtrace-project": beta,
        "content-type": "application/json",
        accept: "text/event-stream",
      },
      body: JSON.stringify({ query: `subscription { runEvents(runId: "${ids.run}") { seq } }` }),
    });
    const text = await res.text();
    expect(text).not.toMatch(/"seq"/);
    const own = await fetch(`${stack.url}/graphql/stream`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: `subscription { runEvents(runId: "${ids.run}") { seq } }` }),
    });
    expect(await own.text()).toMatch(/"seq"/);
  });

  it("names an unknown project with 404 and a missing token with 401", async () => {
    const unknown = await call("no-such-project", "GET", "/api/workflows");
    expect(unknown).toEqual({
      status: 404,
      body: { error: { code: "not_found", message: "project no-such-project does not exist" } },
    });
    const viaGraphql = await call("no-such-project", "POST", "/graphql", { query: "{ __typename }" });
    expect(viaGraphql).toEqual({
      status: 404,
      body: { errors: [{ message: "project no-such-project does not exist", extensions: { code: "NOT_FOUND" } }] },
    });
    const anonymous = await fetch(`${stack.url}/api/workflows`);
    expect(anonymous.status).toBe(401);
    expect((await call("beta", "GET", "/api/projects")).body.items.map((p: { name: string }) => p.name)).toEqual([
      "default",
      "beta",
    ]);
  });
});
