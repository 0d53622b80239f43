/**
 * Project API keys against a real server: shown once and stored only as a hash (read from the
 * table); every route walked with no credentials, a revoked key, an expired key and an unknown key
 * (401), another project's key (404), and a read-only key on every write (403 naming the scope),
 * over REST, the SSE stream and GraphQL (queries, mutations, subscriptions).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../helpers/stack.ts";
import { chainOf, gatedWorkflow, llmNode } from "../helpers/workflows.ts";

const TOKEN = "k".repeat(32);
let stack: Stack;
const ids = { beta: "", defaultProject: "", workflow: "", run: "", dataset: "", experiment: "" };
const keys = { reader: "", writer: "", beta: "", betaAdmin: "", revoked: "", expired: "" };

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Json = any;

async function call(credential: string | null, method: string, path: string, body?: unknown, extra: object = {}) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
      ...extra,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json = res.headers.get("content-type")?.includes("json");
  return { status: res.status, body: (text && json ? JSON.parse(text) : text || null) as Json };
}

async function newKey(project: string, scopes: string[], name = scopes.join(" "), credential = TOKEN) {
  const r = await call(credential, "POST", `/api/projects/${project}/api-keys`, { name, scopes });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; key: string; prefix: string };
}

async function until(path: string, done: (b: Json) => boolean) {
  for (;;) {
    const r = await call(TOKEN, "GET", path);
    if (done(r.body)) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  stack = await startStack({ latencyMs: 1, apiToken: TOKEN });
  ids.beta = (await call(TOKEN, "POST", "/api/projects", { name: "beta" })).body.id;
  ids.defaultProject = (await call(TOKEN, "GET", "/api/projects")).body.items[0].id;
  ids.workflow = (
    await call(TOKEN, "POST", "/api/workflows", { name: "w", graph_json: chainOf([llmNode("a")]) })
  ).body.id;
  ids.run = (
    await call(TOKEN, "POST", `/api/workflows/${ids.workflow}/runs`, { input_vars: { topic: "t" } })
  ).body.runId;
  expect((await until(`/api/runs/${ids.run}`, (b) => ["succeeded", "failed"].includes(b.status))).status).toBe(
    "succeeded",
  );
  ids.dataset = (
    await call(TOKEN, "POST", "/api/datasets", { name: "d", items: [{ input_vars: { topic: "t" } }] })
  ).body.id;
  ids.experiment = (
    await call(TOKEN, "POST", `/api/workflows/${ids.workflow}/experiments`, {
      dataset_id: ids.dataset,
      scorers: [{ type: "contains" }],
    })
  ).body.experimentId;
  await until(`/api/experiments/${ids.experiment}`, (b) => ["succeeded", "failed", "canceled"].includes(b.status));
  keys.reader = (await newKey(ids.defaultProject, ["workflows:read", "runs:read"], "viewer")).key;
  keys.writer = (
    await newKey(ids.defaultProject, ["workflows:read", "workflows:write", "runs:read", "runs:write"])
  ).key;
  keys.beta = (
    await newKey(ids.beta, [
      "workflows:read",
      "workflows:write",
      "runs:read",
      "runs:write",
      "datasets:write",
      "approvals:decide",
    ])
  ).key;
  keys.betaAdmin = (await newKey(ids.beta, ["admin"])).key;
  const revoked = await newKey(ids.defaultProject, ["admin"], "revoked");
  expect((await call(TOKEN, "DELETE", `/api/projects/${ids.defaultProject}/api-keys/${revoked.id}`)).status).toBe(204);
  keys.revoked = revoked.key;
  const expired = await newKey(ids.defaultProject, ["admin"], "expired");
  await stack.prisma.apiKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  keys.expired = expired.key;
});
afterAll(() => stack.close());

/** Every protected route, with whether it writes. */
const routes = (): [method: string, path: string, body?: unknown][] => [
  ["GET", "/api/workflows"],
  ["POST", "/api/workflows", { name: "x", graph_json: chainOf([llmNode("a")]) }],
  ["GET", `/api/workflows/${ids.workflow}`],
  ["PUT", `/api/workflows/${ids.workflow}`, { name: "taken" }],
  ["POST", `/api/workflows/${ids.workflow}/runs`, {}],
  ["GET", `/api/workflows/${ids.workflow}/versions`],
  ["POST", `/api/workflows/${ids.workflow}/versions/1/restore`, {}],
  ["GET", `/api/runs/${ids.run}`],
  ["GET", `/api/runs/${ids.run}/trace`],
  ["GET", `/api/runs/${ids.run}/stream`],
  ["POST", `/api/runs/${ids.run}/rerun`, {}],
  ["POST", `/api/runs/${ids.run}/cancel`],
  ["POST", `/api/runs/${ids.run}/approvals/a`, { decision: "approve" }],
  ["GET", "/api/approvals"],
  ["GET", "/api/datasets"],
  ["POST", "/api/datasets", { name: "x" }],
  ["GET", `/api/datasets/${ids.dataset}`],
  ["POST", `/api/datasets/${ids.dataset}/items`, { items: [{ input_vars: {} }] }],
  ["GET", `/api/experiments/${ids.experiment}`],
  ["POST", `/api/workflows/${ids.workflow}/experiments`, { dataset_id: ids.dataset, scorers: [{ type: "contains" }] }],
  ["POST", `/api/experiments/${ids.experiment}/cancel`],
  ["GET", `/api/projects/${ids.defaultProject}/api-keys`],
  ["GET", `/api/projects/${ids.defaultProject}/spend?group_by=end_user`],
  ["GET", `/api/projects/${ids.defaultProject}/members`],
  ["PUT", `/api/projects/${ids.defaultProject}/members/${ids.workflow}`, { role: "viewer" }],
  ["GET", `/api/projects/${ids.defaultProject}/invitations`],
  ["POST", `/api/projects/${ids.defaultProject}/invitations`, { role: "viewer" }],
  ["GET", `/api/projects/${ids.defaultProject}/budget`],
  ["PUT", `/api/projects/${ids.defaultProject}/budget`, { monthly_limit_cents: null }],
  ["GET", `/api/projects/${ids.defaultProject}/alerts`],
  ["POST", `/api/projects/${ids.defaultProject}/alerts`, { url: "http://127.0.0.1:9/x", events: ["run.failed"] }],
  ["GET", `/api/projects/${ids.defaultProject}/alerts/deliveries`],
  ["PUT", `/api/projects/${ids.defaultProject}`, { name: "default" }],
  ["POST", "/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" }],
  ["GET", "/api/mcp-servers"],
  ["POST", "/api/mcp-servers", { name: "walk", transport: "http", url: "http://127.0.0.1:9/mcp" }],
  ["GET", `/api/mcp-servers/${ids.workflow}`],
  ["PUT", `/api/mcp-servers/${ids.workflow}`, { name: "walk", transport: "http", url: "http://127.0.0.1:9/mcp" }],
  ["DELETE", `/api/mcp-servers/${ids.workflow}`],
  ["GET", "/api/secrets"],
  ["POST", "/api/secrets", { name: "WALK", value: "walk-secret" }],
  ["PUT", "/api/secrets/WALK", { value: "walk-secret-2" }],
  ["DELETE", "/api/secrets/WALK"],
  ["DELETE", `/api/projects/${ids.defaultProject}`],
  ["DELETE", `/api/datasets/${ids.dataset}`],
  ["DELETE", `/api/workflows/${ids.workflow}`],
];

describe("API keys", () => {
  it("are shown once, stored only as a hash, listed by prefix with their creator and last use", async () => {
    const created = await call(TOKEN, "POST", `/api/projects/${ids.defaultProject}/api-keys`, {
      name: "ci",
      scopes: ["runs:read"],
      expires_at: "2099-01-01T00:00:00Z",
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual([
      "created_at",
      "expires_at",
      "id",
      "key",
      "name",
      "prefix",
      "scopes",
    ]);
    const { key, prefix, id } = created.body;
    expect(key).toMatch(/^ft_[A-Za-z0-9_-]{43}$/);
    expect(prefix).toBe(key.slice(0, 11));
    const row = await stack.prisma.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.keyHash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(key.slice(11));
    expect((await call(key, "GET", `/api/runs/${ids.run}`)).status).toBe(200);
    const listed = (await call(TOKEN, "GET", `/api/projects/${ids.defaultProject}/api-keys`)).body.items;
    const item = listed.find((k: { id: string }) => k.id === id);
    expect(item).toMatchObject({ name: "ci", prefix, scopes: ["runs:read"], created_by: "instance", revoked_at: null });
    expect(item.last_used_at).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key);
  });

  it("refuses bad key requests with the field named", async () => {
    const bad = await call(TOKEN, "POST", `/api/projects/${ids.defaultProject}/api-keys`, {
      name: "x",
      scopes: ["root"],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe("scopes.0");
    const past = await call(TOKEN, "POST", `/api/projects/${ids.defaultProject}/api-keys`, {
      name: "x",
      scopes: ["admin"],
      expires_at: "2001-01-01T00:00:00Z",
    });
    expect(past.status).toBe(400);
  });

  it("no, unknown, revoked and expired credentials get 401 on every route", async () => {
    for (const credential of [null, "ft_unknown", keys.revoked, keys.expired]) {
      for (const [method, path, body] of routes()) {
        const r = await call(credential, method, path, body);
        expect(r.status, `${credential?.slice(0, 11)} ${method} ${path}`).toBe(401);
      }
    }
    const gql = await call(keys.revoked, "POST", "/graphql", {
      query: "{ workflows(first: 1) { edges { node { id } } } }",
    });
    expect(gql.status).toBe(401);
  });

  it("another project's key gets 404 for this project's objects, and may not pick another project", async () => {
    for (const [method, path, body] of routes()) {
      // Key management needs admin, which this key lacks (403 before anything is looked up).
      if (!/[0-9a-f]{8}-/.test(path) || path.includes("api-keys")) continue;
      const r = await call(keys.beta, method, path, body);
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(404);
    }
    const picked = await call(keys.beta, "GET", "/api/workflows", undefined, { "x-flowtrace-project": "default" });
    expect(picked.status).toBe(404);
    expect((await call(keys.beta, "GET", "/api/projects")).body.items.map((p: { name: string }) => p.name)).toEqual([
      "beta",
    ]);
    expect((await call(keys.betaAdmin, "GET", `/api/projects/${ids.defaultProject}/api-keys`)).status).toBe(404);
    expect(
      (await call(keys.betaAdmin, "POST", `/api/projects/${ids.beta}/api-keys`, { name: "x", scopes: ["runs:read"] }))
        .status,
    ).toBe(201);
    // Secrets belong to the key's project: another project's are neither listed nor reachable by name.
    expect((await call(TOKEN, "POST", "/api/secrets", { name: "DEFAULT_ONLY", value: "default-only" })).status).toBe(
      201,
    );
    expect((await call(keys.betaAdmin, "GET", "/api/secrets")).body.items).toEqual([]);
    expect((await call(keys.betaAdmin, "DELETE", "/api/secrets/DEFAULT_ONLY")).status).toBe(404);
    // So do MCP servers: another project's is not listed, and every route to it is 404.
    const server = { name: "default-only", transport: "http", url: "http://127.0.0.1:9/mcp" };
    const mcp = await call(TOKEN, "POST", "/api/mcp-servers", server);
    expect(mcp.status).toBe(201);
    expect((await call(keys.betaAdmin, "GET", "/api/mcp-servers")).body.items).toEqual([]);
    for (const [method, path, body] of [
      ["GET", `/api/mcp-servers/${mcp.body.id}`],
      ["GET", `/api/mcp-servers/${mcp.body.id}/tools`],
      ["PUT", `/api/mcp-servers/${mcp.body.id}`, server],
      ["DELETE", `/api/mcp-servers/${mcp.body.id}`],
    ] as const) {
      expect((await call(keys.betaAdmin, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    // And workflows: another project's cannot be called as a sub-workflow.
    const reach = { id: "x", type: "workflow", name: "X", config: { workflow: ids.workflow } };
    const graph = { version: "1", entry: "x", nodes: [reach], edges: [] };
    const calls = await call(keys.betaAdmin, "POST", "/api/workflows", { name: "reach", graph_json: graph });
    expect(calls.status).toBe(422);
    expect(calls.body.error.issues[0].message).toBe(`workflow ${ids.workflow} does not exist in this project`);
    const project = await call(keys.betaAdmin, "POST", "/api/projects", { name: "gamma" });
    expect(project).toEqual({
      status: 403,
      body: {
        error: {
          code: "forbidden",
          message: "a project API key cannot create projects: sign in, or use FLOWTRACE_API_TOKEN",
        },
      },
    });
  });

  it("a read-only key reads, and gets 403 naming the scope on every write", async () => {
    for (const [method, path, body] of routes()) {
      const r = await call(keys.reader, method, path, body);
      if (method === "GET" && !/api-keys|members|invitations|budget|alerts|secrets/.test(path)) {
        expect(r.status, `${method} ${path}`).not.toBe(403);
        continue;
      }
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.message).toMatch(/^this API key lacks the scope [a-z:]+( \(a person's role\))?$/);
    }
    expect((await call(keys.reader, "POST", `/api/runs/${ids.run}/cancel`)).body.error.message).toBe(
      "this API key lacks the scope runs:write",
    );
    expect((await call(keys.writer, "POST", `/api/datasets`, { name: "x" })).body.error.message).toBe(
      "this API key lacks the scope datasets:write",
    );
  });

  it("GraphQL checks every root field: queries and subscriptions with the read scope, mutations with the write one", async () => {
    const query = await call(keys.reader, "POST", "/graphql", {
      query: "{ workflows(first: 5) { edges { node { id } } } }",
    });
    expect(query.body.data.workflows.edges).toHaveLength(1);
    const mutation = await call(keys.reader, "POST", "/graphql", {
      query: `mutation { cancelRun(runId: "${ids.run}") { __typename } }`,
    });
    expect(mutation.status, JSON.stringify(mutation.body)).toBe(403);
    expect(mutation.body.errors[0].message).toBe("this API key lacks the scope runs:write");
    const hidden = await call(keys.reader, "POST", "/graphql", {
      query: 'mutation M { ...F } fragment F on Mutation { createDataset(name: "x") { __typename } }',
    });
    expect(hidden.body.errors[0].message).toBe("this API key lacks the scope datasets:write");
    const sub = await fetch(`${stack.url}/graphql/stream`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${keys.reader}`,
        "content-type": "application/json",
        accept: "text/event-stream",
      },
      body: JSON.stringify({ query: `subscription { runEvents(runId: "${ids.run}") { seq } }` }),
    });
    expect(await sub.text()).toMatch(/"seq"/);
    const datasetsOnly = (await newKey(ids.defaultProject, ["datasets:write"])).key;
    const refused = await fetch(`${stack.url}/graphql/stream`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${datasetsOnly}`,
        "content-type": "application/json",
        accept: "text/event-stream",
      },
      body: JSON.stringify({ query: `subscription { runEvents(runId: "${ids.run}") { seq } }` }),
    });
    const text = await refused.text();
    expect(text).not.toMatch(/"seq"/);
    expect(text).toMatch(/lacks the scope runs:read/);
  });
});

describe("API keys over graphql-sse", () => {
  it("a mutation sent to the stream endpoint does not run", async () => {
    const res = await fetch(`${stack.url}/graphql/stream`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${keys.reader}`,
        "content-type": "application/json",
        accept: "text/event-stream",
      },
      body: JSON.stringify({ query: `mutation { createDataset(name: "sse") { __typename } }` }),
    });
    expect(await res.text()).not.toMatch(/__typename/);
    expect(await stack.prisma.dataset.count({ where: { name: "sse" } })).toBe(0);
  });
});

describe("who decided", () => {
  it("an approval decided with a key records the key, whatever name a header claims", async () => {
    const wf = (await call(TOKEN, "POST", "/api/workflows", { name: "gated", graph_json: gatedWorkflow() })).body.id;
    const run = (await call(TOKEN, "POST", `/api/workflows/${wf}/runs`, { input_vars: { topic: "t" } })).body.runId;
    await until(`/api/runs/${run}`, (b) => b.status === "waiting");
    const decider = (await newKey(ids.defaultProject, ["approvals:decide", "runs:read"], "release-bot")).key;
    // By its id, an approval of another project is not found (404), and a read-only key may not decide (403).
    const approvalId = (await call(TOKEN, "GET", `/api/approvals?run_id=${run}`)).body.approvals[0].id;
    expect((await call(keys.betaAdmin, "POST", `/api/approvals/${approvalId}`, { decision: "approve" })).status).toBe(
      404,
    );
    expect((await call(keys.reader, "POST", `/api/approvals/${approvalId}`, { decision: "approve" })).status).toBe(403);
    const decided = await call(
      decider,
      "POST",
      `/api/runs/${run}/approvals/gate`,
      { decision: "approve" },
      { "x-flowtrace-actor": "alice" },
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const approval = await stack.prisma.approval.findFirstOrThrow({ where: { runId: run } });
    expect(approval.decidedBy).toBe("api_key:release-bot");
  });
});

describe("the audit log", () => {
  it("shows each action with its actor, newest first and paged; only admins of the project may read it", async () => {
    const writer = await newKey(
      ids.defaultProject,
      ["workflows:read", "workflows:write", "runs:read", "runs:write"],
      "deployer",
    );
    const created = await call(writer.key, "POST", "/api/workflows", {
      name: "audited",
      graph_json: chainOf([llmNode("a")]),
    });
    const wf = created.body.id;
    await call(writer.key, "PUT", `/api/workflows/${wf}`, { name: "audited 2" });
    const gql = await call(writer.key, "POST", "/graphql", {
      query: `mutation($id: ID!) { startRun(workflowId: $id, inputVars: {topic: "t"}) { __typename ... on Run { id } } }`,
      variables: { id: wf },
    });
    expect(gql.body.data, JSON.stringify(gql.body)).toBeTruthy();
    const run = gql.body.data.startRun.id;
    await call(TOKEN, "DELETE", `/api/projects/${ids.defaultProject}/api-keys/${writer.id}`);

    const page = await call(TOKEN, "GET", `/api/projects/${ids.defaultProject}/audit-log?limit=4`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((e: { action: string }) => e.action)).toEqual([
      "api_key.revoke",
      "run.start",
      "workflow.update",
      "workflow.create",
    ]);
    const [revoke, start, , create] = page.body.items;
    expect(revoke).toMatchObject({
      actor: { type: "instance", id: "instance" },
      target_type: "api_key",
      target_id: writer.id,
    });
    expect(start).toMatchObject({ actor: { type: "api_key", id: writer.id, name: "deployer" }, target_id: run });
    expect(create).toMatchObject({
      actor: { type: "api_key", name: "deployer" },
      target_id: wf,
      details: { name: "audited" },
    });
    expect(JSON.stringify(page.body)).not.toContain(writer.key);
    const next = await call(
      TOKEN,
      "GET",
      `/api/projects/${ids.defaultProject}/audit-log?limit=4&cursor=${page.body.next_cursor}`,
    );
    expect(next.body.items[0].at <= create.at).toBe(true);
    expect(next.body.items.map((e: { id: string }) => e.id)).not.toContain(create.id);
    expect((await call(TOKEN, "GET", `/api/projects/${ids.defaultProject}/audit-log?cursor=nope`)).status).toBe(400);
    expect((await call(keys.reader, "GET", `/api/projects/${ids.defaultProject}/audit-log`)).status).toBe(403);
    expect((await call(keys.betaAdmin, "GET", `/api/projects/${ids.defaultProject}/audit-log`)).status).toBe(404);
    expect((await call(TOKEN, "DELETE", `/api/projects/${ids.defaultProject}/audit-log`)).status).toBe(404);
  });
});
