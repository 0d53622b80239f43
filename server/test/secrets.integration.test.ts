/**
 * Project secrets against a real server and PostgreSQL: set, listed (never the value), replaced,
 * deleted, encrypted at rest, only admins; `{{secret.NAME}}` filled in http.fetch headers at call
 * time and refused anywhere else (prompts, URLs, a value a model or upstream node produced). After
 * runs that used the secret — one whose target echoes every header back, one whose target fails
 * with an error body that echoes it, one redirected to another origin — the value is in no trace
 * event, step row, run error, span, metric, log line, trace export, run diff or dataset item.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OtlpReceiver, startOtlpReceiver } from "./helpers/otlp.ts";
import { finishedRun, restClient } from "./helpers/rest.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

const SECRET = "tok-3f9c2a7b81d64e0c9a5b";
const TOKEN = "t".repeat(32);
let stack: Stack;
let receiver: OtlpReceiver;
const logLines: string[] = [];
const servers: Server[] = [];
/** What the echo servers were sent: the Authorization header of each request, by path. */
const seen: { path: string; authorization: string | undefined; origin: string }[] = [];
let echo = "";
let other = "";

function echoServer(name: string): Promise<string> {
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.push({ path: url.pathname, authorization: req.headers.authorization, origin: name });
    if (url.pathname === "/redirect") {
      return void res.writeHead(302, { location: `${url.searchParams.get("to")}/after` }).end();
    }
    const status = url.pathname === "/fail" ? 401 : 200;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: status === 401 ? "bad token" : undefined, you_sent: req.headers }));
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

const auth = { authorization: `Bearer ${TOKEN}` };
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) =>
  restClient(() => stack.url)(method, path, body, headers);

const doc = (nodes: ({ id: string } & Record<string, unknown>)[], edges: unknown[] = []) => ({
  version: "1",
  entry: nodes[0]?.id,
  nodes,
  edges,
});

const fetchNode = (id: string, url: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id.toUpperCase(),
  type: "tool",
  config: {
    tool: "http.fetch",
    args: {
      url,
      headers: { authorization: "Bearer {{secret.API_KEY}}", "x-both": "{{secret.API_KEY}}:{{secret.OTHER}}" },
      ...extra,
    },
  },
});

async function runOf(nodes: ({ id: string } & Record<string, unknown>)[]) {
  const wf = await call("POST", "/api/workflows", { name: `secrets ${Math.random()}`, graph_json: doc(nodes) });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, {});
  expect(started.status).toBe(202);
  return finishedRun(call, started.body.runId);
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startStack({
    apiToken: TOKEN,
    logLines,
    otel: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, FLOWTRACE_OTEL_CAPTURE_CONTENT: "1" },
  });
  echo = await echoServer("echo");
  other = await echoServer("other");
  (stack.engine.fetchAllow as string[]).push(new URL(echo).host, new URL(other).host);
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
  for (const s of servers) s.close();
});

describe("secrets over REST", () => {
  it("sets, lists, replaces and deletes a secret without ever answering its value", async () => {
    const created = await call("POST", "/api/secrets", { name: "API_KEY", value: "first-value-123" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "API_KEY", created_by: expect.any(String) });
    expect(created.body.created_by).toBe(created.body.updated_by);
    expect(JSON.stringify(created.body)).not.toContain("first-value-123");
    expect((await call("POST", "/api/secrets", { name: "API_KEY", value: "again-1234" })).status).toBe(409);
    const replaced = await call("PUT", "/api/secrets/API_KEY", { value: SECRET });
    expect(replaced.status).toBe(200);
    expect((await call("POST", "/api/secrets", { name: "OTHER", value: "other-secret-99" })).status).toBe(201);
    expect((await call("POST", "/api/secrets", { name: "GONE", value: "gone-secret-1" })).status).toBe(201);
    expect((await call("DELETE", "/api/secrets/GONE")).status).toBe(204);
    expect((await call("DELETE", "/api/secrets/GONE")).status).toBe(404);
    const list = await call("GET", "/api/secrets");
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(["API_KEY", "OTHER"]);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
  });

  it("refuses bad names and values with the field named, and keys that are not admin", async () => {
    const short = await call("POST", "/api/secrets", { name: "SHORT", value: "abc" });
    expect(short.status).toBe(400);
    expect(short.body.error.issues[0]).toMatchObject({ path: "value" });
    const badName = await call("POST", "/api/secrets", { name: "1-bad", value: "long-enough" });
    expect(badName.status).toBe(400);
    expect(badName.body.error.issues[0].path).toBe("name");
    const projects = await call("GET", "/api/projects");
    const project = projects.body.items.find((p: { name: string }) => p.name === "default");
    const key = await call("POST", `/api/projects/${project.id}/api-keys`, { name: "runner", scopes: ["runs:write"] });
    const asKey = await call("GET", "/api/secrets", undefined, { authorization: `Bearer ${key.body.key}` });
    expect(asKey.status).toBe(403);
  });

  it("keeps values encrypted at rest (AES-256-GCM), each with its key's id", async () => {
    const rows = await stack.prisma.secret.findMany();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.ciphertext).not.toContain(SECRET);
      expect(Buffer.from(row.ciphertext.split(".")[2] ?? "", "base64").toString()).not.toContain(SECRET);
      expect(row.keyId).toMatch(/^[0-9a-f]{8}$/);
    }
    const audit = await stack.prisma.auditEntry.findMany({ where: { targetType: "secret" } });
    expect(audit.map((a) => a.action).sort()).toEqual([
      "secret.create",
      "secret.create",
      "secret.create",
      "secret.delete",
      "secret.update",
    ]);
  });
});

describe("secrets in workflows", () => {
  it("refuses {{secret.…}} outside http.fetch headers, naming the path", async () => {
    const llm = { provider: "openai", model: "gpt-4o-mini", prompt: "{{secret.API_KEY}}" };
    const inPrompt = doc([{ id: "a", name: "A", type: "llm", config: llm }]);
    const r1 = await call("POST", "/api/workflows", { name: "leaky prompt", graph_json: inPrompt });
    expect(r1.status).toBe(422);
    expect(JSON.stringify(r1.body.error.issues)).toContain("nodes[0].config.prompt");
    expect(JSON.stringify(r1.body.error.issues)).toContain("secrets can be used only in http.fetch headers");
    const args = { url: `${echo}/{{secret.API_KEY}}` };
    const inUrl = doc([{ id: "f", name: "F", type: "tool", config: { tool: "http.fetch", args } }]);
    const r2 = await call("POST", "/api/workflows", { name: "leaky url", graph_json: inUrl });
    expect(r2.status).toBe(422);
    expect(JSON.stringify(r2.body.error.issues)).toContain("nodes[0].config.args.url");
  });

  it("fills the header at call time; the echoed value is scrubbed from the output", async () => {
    const run = await runOf([fetchNode("f", `${echo}/echo`)]);
    expect(run.status).toBe("succeeded");
    expect(seen.find((s) => s.path === "/echo")?.authorization).toBe(`Bearer ${SECRET}`);
    const step = (await call("GET", `/api/runs/${run.id}/steps/${run.steps[0].id}`)).body;
    const output = JSON.stringify(step.output);
    expect(output).toContain("Bearer [secret API_KEY]");
    expect(output).toContain("[secret API_KEY]:[secret OTHER]");
  });

  it("a failing call whose error body echoes the header, and a redirect to another origin that does not get it", async () => {
    const failed = await runOf([fetchNode("f", `${echo}/fail`, { acceptStatus: [200] })]);
    expect(failed.status).toBe("failed");
    const echoed = await runOf([fetchNode("f", `${echo}/fail`, { acceptStatus: ["4xx"] })]);
    expect(echoed.status).toBe("succeeded");
    const moved = await runOf([fetchNode("f", `${echo}/redirect?to=${encodeURIComponent(other)}`)]);
    expect(moved.status).toBe("succeeded");
    expect(seen.find((s) => s.origin === "other" && s.path === "/after")?.authorization).toBeUndefined();
  });

  it("an upstream value that carries {{secret.…}} is refused, never filled", async () => {
    const smuggled = { ...fetchNode("f", `${echo}/smuggle`), inputs: {} };
    smuggled.config.args.headers = { authorization: "{{input.token}}" } as never;
    const wf = await call("POST", "/api/workflows", { name: "smuggle", graph_json: doc([smuggled]) });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, {
      input_vars: { token: "Bearer {{secret.API_KEY}}" },
    });
    const run = await finishedRun(call, started.body.runId);
    expect(run.status).toBe("failed");
    expect(run.error_summary).toContain("only filled where the workflow itself names it");
    expect(seen.some((s) => s.path === "/smuggle")).toBe(false);
  });

  it("leaves the value in no event, step, run, span, metric, log line, export, diff or dataset item", async () => {
    const runs = await stack.prisma.workflowRun.findMany({ select: { id: true } });
    expect(runs.length).toBeGreaterThanOrEqual(4);
    const places: Record<string, string> = {};
    const text = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));
    places.events = text(await stack.prisma.traceEvent.findMany());
    places.steps = text(await stack.prisma.runStep.findMany());
    places.runs = text(await stack.prisma.workflowRun.findMany());
    for (const { id } of runs) {
      places[`export ${id}`] = JSON.stringify((await call("GET", `/api/runs/${id}/trace`)).body);
      places[`run ${id}`] = JSON.stringify((await call("GET", `/api/runs/${id}`)).body);
      places[`diff ${id}`] = JSON.stringify((await call("GET", `/api/runs/${id}/diff?against=${runs[0]?.id}`)).body);
    }
    const dataset = await call("POST", "/api/datasets", { name: "from secret runs" });
    for (const { id } of runs) await call("POST", `/api/datasets/${dataset.body.id}/items/from-run`, { run_id: id });
    places.dataset = JSON.stringify((await call("GET", `/api/datasets/${dataset.body.id}`)).body);
    await stack.telemetry.flush();
    places.spans = JSON.stringify(receiver.spans);
    places.metrics = await stack.telemetry.metrics.registry.metrics();
    places.logs = logLines.join("\n");
    expect(places.events).toContain("[secret API_KEY]");
    expect(receiver.spans.length).toBeGreaterThan(0);
    expect(logLines.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(places)) {
      expect(text.includes(SECRET), `the secret's value is in ${where}`).toBe(false);
      expect(text.includes("other-secret-99"), `the other secret's value is in ${where}`).toBe(false);
    }
  });
});
