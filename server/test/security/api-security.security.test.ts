/**
 * Auth, secrets and limits against a real API process in server mode (inline executor, PostgreSQL,
 * Redis, the simulator behind the real SDKs) with FLOWTRACE_API_TOKEN set and real-looking keys:
 * - every REST route, the SSE stream, /graphql and /graphql/stream refuse a missing or wrong token,
 *   under any spelling of the path; /health stays open and reveals nothing sensitive;
 * - after runs — including a provider that echoes the key it was sent in its error — no key and no
 *   token appears in any stored event, step, run, REST or GraphQL answer, SSE stream or log line;
 * - oversize bodies get 413; oversize LLM outputs and tool responses are cut in events with an
 *   explicit marker and complete in the step; GraphQL depth and cost limits refuse abusive queries.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.ts";
import { TRACE_VALUE_LIMIT } from "../../src/domain/trace/truncate.ts";
import { type Simulator, startSimulator } from "../../src/providers/simulator/simulator.ts";
import { expectNoSecrets, KEYS, providerEnv, startApiProcess, waitAllFinished } from "../chaos/harness.ts";
import { collectSse } from "../chaos/subscribers.ts";
import { createTestDatabase, type TestDatabase, uniqueName } from "../helpers/db.ts";
import type { Proc } from "../helpers/process.ts";

const TOKEN = randomBytes(24).toString("base64url");
const BIG_DOC = "FlowTrace big document. ".repeat(10_000); // 240,000 characters

let db: TestDatabase;
let prisma: PrismaClient;
let sim: Simulator;
let api: { proc: Proc; url: string };
let docs: http.Server;
let docsPort: number;

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { "content-type": "application/json" };

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = auth) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...json, ...headers },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const stringify = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

async function startRun(graph: object, inputVars: object = {}): Promise<string> {
  const wf = await call("POST", "/api/workflows", { name: uniqueName("sec"), graph_json: graph });
  expect(wf.status, wf.text).toBe(201);
  const run = await call("POST", `/api/workflows/${JSON.parse(wf.text).id}/runs`, { input_vars: inputVars });
  expect(run.status, run.text).toBe(202);
  const runId = JSON.parse(run.text).runId as string;
  await waitAllFinished(prisma, [runId], 60_000);
  return runId;
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  sim = await startSimulator();
  docs = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(BIG_DOC);
  });
  await new Promise<void>((r) => docs.listen(0, "127.0.0.1", () => r()));
  docsPort = (docs.address() as AddressInfo).port;
  api = await startApiProcess({
    DATABASE_URL: db.url,
    REDIS_URL: inject("redisUrl"),
    FLOWTRACE_QUEUE_PREFIX: uniqueName("ftsec"),
    FLOWTRACE_INLINE_WORKER: "1",
    FLOWTRACE_API_TOKEN: TOKEN,
    FLOWTRACE_FETCH_ALLOW: `127.0.0.1:${docsPort}`,
    LOG_LEVEL: "debug",
    ...providerEnv(sim),
  });
});
afterAll(async () => {
  await api?.proc.stop("SIGKILL");
  await new Promise<void>((r) => docs.close(() => r()));
  await prisma.$disconnect();
  await sim.close();
  await db.drop();
});

const twoSteps = {
  version: "1",
  entry: "a",
  nodes: [
    {
      id: "a",
      type: "llm",
      name: "A",
      config: { provider: "openai", model: "gpt-4o-mini", system: "sec a" },
      inputs: { t: "{{input.topic}}" },
    },
    {
      id: "b",
      type: "llm",
      name: "B",
      config: { provider: "anthropic", model: "claude-3-5-haiku-20241022", system: "sec b" },
      inputs: { t: "{{node.a.output}}" },
    },
  ],
  edges: [{ from: "a", to: "b" }],
};

describe("auth", () => {
  it("refuses every protected route without the right token, under any spelling; /health stays open", async () => {
    const runId = await startRun(twoSteps, { topic: "auth" });
    const wfId = (await prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } })).workflowId;
    const gql = encodeURIComponent("{ workflows(first: 5) { edges { node { id name } } } }");
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/workflows"],
      ["POST", "/api/workflows", { name: "x", graph_json: twoSteps }],
      ["GET", `/api/workflows/${wfId}`],
      ["PUT", `/api/workflows/${wfId}`, { name: "stolen" }],
      ["DELETE", `/api/workflows/${wfId}`],
      ["POST", `/api/workflows/${wfId}/runs`, {}],
      ["GET", `/api/runs/${runId}`],
      ["GET", `/api/runs/${runId}/steps/a`],
      ["GET", `/api/runs/${runId}/trace`],
      ["POST", `/api/runs/${runId}/cancel`],
      ["GET", `/api/runs/${runId}/stream`],
      ["GET", "/api/nope"],
      ["GET", "/api"],
      ["GET", "/api/"],
      ["GET", "/api/workflows/"],
      ["GET", "//api/workflows"],
      ["GET", "/api//workflows"],
      ["GET", "/%61pi/workflows"],
      ["GET", "/api/%77orkflows"],
      ["GET", "/api/./workflows"],
      ["GET", "/x/../api/workflows"],
      ["GET", `/graphql?query=${gql}`],
      ["POST", "/graphql", { query: "{ workflows(first: 5) { edges { node { id name } } } }" }],
      ["POST", "/graphql/", { query: "{ __typename }" }],
      ["GET", `/graphql/stream?query=${encodeURIComponent(`subscription { runEvents(runId: "${runId}") { seq } }`)}`],
      ["POST", "/graphql/stream", { query: `subscription { runEvents(runId: "${runId}") { seq } }` }],
      ["PUT", "/graphql/stream"],
    ];
    const credentials: [string, Record<string, string>][] = [
      ["none", {}],
      ["wrong", { authorization: "Bearer wrong-token" }],
      ["longer", { authorization: `Bearer ${TOKEN}x` }],
      ["prefix", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
      ["empty", { authorization: "Bearer " }],
      ["basic", { authorization: `Basic ${Buffer.from(`flowtrace:${TOKEN}`).toString("base64")}` }],
      ["raw", { authorization: TOKEN }],
      ["other header", { "x-api-key": TOKEN }],
    ];
    let checked = 0;
    for (const [method, path, body] of routes) {
      for (const [label, headers] of credentials) {
        const res = await fetch(`${api.url}${path}`, {
          method,
          headers: { ...json, accept: "text/event-stream, application/json", ...headers },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          redirect: "manual",
        });
        const text = await res.text();
        // 401 for everything that reaches the API; 404 for spellings that reach nothing, or the
        // dashboard's HTML shell for GETs the single-page app answers. Never data.
        const shell =
          res.status === 200 && method === "GET" && /text\/html/.test(res.headers.get("content-type") ?? "");
        expect(
          shell || [401, 404].includes(res.status),
          `${method} ${path} with ${label}: ${res.status} ${text.slice(0, 200)}`,
        ).toBe(true);
        expect(text).not.toContain(wfId);
        expect(text).not.toContain(runId);
        checked++;
      }
    }
    // Also with the token in the query string (never accepted: URLs end up in logs).
    expect((await fetch(`${api.url}/api/workflows?token=${TOKEN}`)).status).toBe(401);
    // Nothing was changed by the refused calls.
    const wf = await call("GET", `/api/workflows/${wfId}`);
    expect(wf.status).toBe(200);
    expect(JSON.parse(wf.text).name).not.toBe("stolen");
    expect(await prisma.workflowRun.count({ where: { workflowId: wfId } })).toBe(1);

    // /health is open and says nothing sensitive.
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);
    const report = await health.json();
    expect(Object.keys(report).sort()).toEqual(["db", "queue", "status"]);
    const raw = JSON.stringify(report);
    for (const secret of [TOKEN, db.url, new URL(db.url).pathname.slice(1), "postgres", "redis://"]) {
      expect(raw).not.toContain(secret);
    }
    expectNoSecrets("/health", raw);
    console.info(`[security] auth: ${routes.length} routes × ${credentials.length} credentials = ${checked} refusals`);
  });
});

describe("secrets", () => {
  it("no key or token in events, steps, runs, API answers, streams or log lines — even when a provider echoes it", async () => {
    // The first OpenAI call gets a 401 whose message contains the key it was sent.
    sim.setFaults([{ provider: "openai", kind: "status", status: 401, count: 1 }]);
    const runId = await startRun(twoSteps, { topic: "secrets" });
    sim.setFaults([]);
    const run = await prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("succeeded");
    const echoed = sim.calls.find((c) => c.status === 401);
    expect(echoed).toBeDefined();
    const retry = await prisma.traceEvent.findFirstOrThrow({ where: { runId, kind: "retry" } });
    // The provider did echo a key, and FlowTrace stored only the redacted message.
    expect((retry.payload as { message: string }).message).toMatch(/Incorrect API key provided: .*\[redacted\]/);

    const haystacks: [string, string][] = [];
    const events = await prisma.traceEvent.findMany({ where: { runId: { not: undefined } } });
    haystacks.push(["stored events", stringify(events)]);
    haystacks.push(["stored steps", stringify(await prisma.runStep.findMany())]);
    haystacks.push(["stored runs", stringify(await prisma.workflowRun.findMany())]);
    haystacks.push(["stored workflows", stringify(await prisma.workflow.findMany())]);
    for (const path of [
      `/api/runs/${runId}`,
      `/api/runs/${runId}/trace?limit=500`,
      `/api/runs/${runId}/steps/a`,
      `/api/runs/${runId}/steps/b`,
      "/api/workflows",
      "/version",
      "/health",
    ]) {
      haystacks.push([path, (await call("GET", path)).text]);
    }
    const gql = await call("POST", "/graphql", {
      query: `{ run(id: "${runId}") { errorSummary steps { error output } events(first: 200) { edges { node { kind payload } } } }
                providers { name } }`,
    });
    expect(gql.status).toBe(200);
    haystacks.push(["GraphQL", gql.text]);
    const bad = await call("POST", "/graphql", { query: "{ nope }" });
    haystacks.push(["GraphQL error", bad.text]);
    const sse = await collectSse(api.url, runId, { token: TOKEN });
    expect(sse.done).toBe(true);
    haystacks.push(["process output", api.proc.stdout() + api.proc.stderr()]);
    for (const [label, text] of haystacks) {
      expectNoSecrets(label, text);
      expect(text.includes(TOKEN), `${label} contains the API token`).toBe(false);
    }
    // The keys really were used (the simulator saw them), so their absence above means something.
    expect(api.proc.stdout().length).toBeGreaterThan(1_000);
    console.info(
      `[security] secrets: ${haystacks.length} places searched (${haystacks.reduce((a, [, t]) => a + t.length, 0)} characters), ` +
        `keys ${Object.keys(KEYS).join(", ")} and the API token found: 0; echoed key scrubbed from the provider's error`,
    );
  });
});

describe("limits", () => {
  it("oversize outputs are cut in events with a marker and complete in the step; abusive GraphQL is refused", async () => {
    const graph = {
      version: "1",
      entry: "fetch",
      nodes: [
        { id: "fetch", type: "tool", name: "FetchDocs", config: { url: `http://127.0.0.1:${docsPort}/big` } },
        {
          id: "long",
          type: "llm",
          name: "Long",
          config: {
            provider: "openai",
            model: "gpt-4o-mini",
            system: "Write at length [sim:words=20000]",
            prompt: "Summarise: {{node.fetch.output.content}}",
            maxTokens: 40_000,
          },
        },
      ],
      edges: [{ from: "fetch", to: "long" }],
    };
    const runId = await startRun(graph);
    const run = await prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status, run.errorSummary ?? "").toBe("succeeded");
    const events = await prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    const cut = events.filter((e) => "truncated" in (e.payload as object));
    const marker = /… \[truncated by FlowTrace: \d+ characters in all; the full value is the step's output\]$/;
    const startOnly = /… \[truncated by FlowTrace: \d+ characters in all; only this start is kept\]$/;

    const toolResponse = events.find((e) => e.kind === "tool.response")?.payload as Record<string, unknown>;
    expect(toolResponse.truncated).toBeDefined();
    expect(JSON.stringify(toolResponse).length).toBeLessThan(3 * TRACE_VALUE_LIMIT);
    const llmResponse = events.find((e) => e.kind === "llm.response")?.payload as { text: string; truncated: unknown };
    expect(llmResponse.text).toMatch(marker);
    expect(llmResponse.text.length).toBeLessThan(TRACE_VALUE_LIMIT + 200);
    expect(llmResponse.truncated).toEqual([expect.objectContaining({ field: "text" })]);
    const llmRequest = events.find((e) => e.kind === "llm.request")?.payload as { prompt: string };
    expect(llmRequest.prompt).toMatch(startOnly); // a rendered prompt is not kept anywhere else
    expect(cut.length).toBeGreaterThanOrEqual(4); // tool.response, step.finished ×2, llm.request, llm.response

    // The complete values, from the step (REST and GraphQL).
    const fetchStep = JSON.parse((await call("GET", `/api/runs/${runId}/steps/fetch`)).text);
    expect(fetchStep.output.content).toBe(BIG_DOC);
    const longStep = JSON.parse((await call("GET", `/api/runs/${runId}/steps/long`)).text);
    expect(longStep.output.length).toBeGreaterThan(TRACE_VALUE_LIMIT);
    expect(longStep.output).not.toMatch(/truncated by FlowTrace/);
    expect(llmResponse.text.startsWith(longStep.output.slice(0, 1_000))).toBe(true);
    const gql = JSON.parse(
      (await call("POST", "/graphql", { query: `{ run(id: "${runId}") { steps { nodeId output } } }` })).text,
    );
    const gqlLong = gql.data.run.steps.find((s: { nodeId: string }) => s.nodeId === "long");
    expect(gqlLong.output).toBe(longStep.output);

    // GraphQL depth and cost limits.
    let deep = "id";
    for (let i = 0; i < 20; i++) deep = `workflow { runs(first: 1) { edges { node { ${deep} } } } }`;
    const depth = await call("POST", "/graphql", {
      query: `{ workflows(first: 1) { edges { node { runs(first: 1) { edges { node { ${deep} } } } } } } }`,
    });
    expect(depth.text).toMatch(/query is nested \d+ levels deep; the limit is 12/);
    expect(depth.text).not.toMatch(/"data":\{/);
    const cost = await call("POST", "/graphql", {
      query:
        "{ workflows(first: 1000) { edges { node { runs(first: 1000) { edges { node { events(first: 1000) { edges { node { payload } } } } } } } } } }",
    });
    expect(cost.text).toMatch(/cost/i);
    const aliases = await call("POST", "/graphql", {
      query: `{ ${Array.from({ length: 2_000 }, (_, i) => `a${i}: workflows(first: 100) { edges { node { id } } }`).join(" ")} }`,
    });
    expect(aliases.status).toBeLessThan(500);
    expect(aliases.text).toMatch(/cost/i);
    expect(aliases.text).not.toMatch(/"data":\{/);
    console.info(
      `[security] limits: ${cut.length} events cut at ${TRACE_VALUE_LIMIT} characters ` +
        `with a marker (tool response ${BIG_DOC.length} chars, LLM answer ${longStep.output.length} chars, both complete in the step); ` +
        "depth, cost and alias-flood queries refused",
    );
  });
});

interface Upload {
  status: number;
  body: string;
  connection: string | undefined;
  reusedSocket: boolean;
  sent: number;
}

/**
 * POSTs `length` bytes of JSON whitespace, declared with Content-Length or chunked, writing with
 * back-pressure and stopping as soon as the server has answered (as curl and browsers do).
 */
function upload(path: string, length: number, options: { chunked?: boolean; agent?: http.Agent } = {}) {
  const url = new URL(path, api.url);
  return new Promise<Upload>((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      agent: options.agent ?? false,
      headers: { ...json, ...auth, ...(options.chunked ? {} : { "content-length": String(length) }) },
    });
    let responded = false;
    let sent = 0;
    req.on("response", (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          connection: res.headers.connection,
          reusedSocket: req.reusedSocket,
          sent,
        }),
      );
    });
    // A write racing the server's close may fail after the answer arrived: that is the close, not an error.
    req.on("error", (e) => {
      if (!responded)
        reject(new Error(`no answer to a ${length}-byte upload to ${path} (${sent} bytes sent): ${e.message}`));
    });
    const block = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!responded && sent < length) {
        const n = Math.min(block.length, length - sent);
        sent += n;
        if (!req.write(n === block.length ? block : block.subarray(0, n))) {
          req.once("drain", pump);
          return;
        }
      }
      if (!responded) req.end();
    };
    pump();
  });
}

describe("request body limit", () => {
  const MiB = 1024 * 1024;
  const limitMessage = "request body exceeds the size limit of 1048576 bytes";

  it("answers every oversize upload with a readable 413 (REST and GraphQL, declared and chunked, fresh and keep-alive)", async () => {
    let refused = 0;
    for (const path of ["/api/workflows", "/graphql"]) {
      // Declared lengths the server reads to the end and throws away: the connection stays usable.
      for (const [length, chunked] of [
        [2 * MiB, false],
        [20 * MiB, false],
        [2 * MiB, true],
      ] as const) {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
          const warm = await new Promise<number>((resolve, reject) => {
            http
              .get(new URL("/health", api.url), { agent }, (res) => {
                res.resume();
                res.on("end", () => resolve(res.statusCode ?? 0));
              })
              .on("error", reject);
          });
          expect(warm).toBe(200);
          const answer = await upload(path, length, { chunked, agent });
          expect(answer.reusedSocket, `${path} ${length} chunked=${chunked}`).toBe(true);
          expect(answer.status, answer.body).toBe(413);
          expect(JSON.parse(answer.body)).toEqual({
            error: { code: "payload_too_large", message: limitMessage, limit: MiB },
          });
          expect(answer.connection).not.toBe("close");
          refused++;
          // The same socket carries the next request.
          const next = await new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
            const req = http.request(new URL("/api/workflows?limit=1", api.url), { agent, headers: auth }, (res) => {
              res.resume();
              res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
            });
            req.on("error", reject);
            req.end();
          });
          expect(next).toEqual({ status: 200, reused: true });
        } finally {
          agent.destroy();
        }
      }
      // Far too large to read through (200 MiB declared, 100 MiB chunked): 413 at once, read by the
      // client while it is still sending (lingering close); the connection then ends. The client
      // here sends `Connection: close` itself (no agent), the hardest case for the server.
      for (const [length, chunked] of [
        [200 * MiB, false],
        [100 * MiB, true],
      ] as const) {
        const answer = await upload(path, length, { chunked });
        expect(answer.status, `${path} ${length}`).toBe(413);
        expect(JSON.parse(answer.body).error.message).toBe(limitMessage);
        expect(answer.connection).toBe("close");
        expect(answer.sent).toBeLessThan(length);
        refused++;
      }
    }
    // A body within the limit is still accepted.
    const ok = await call("POST", "/api/workflows", { name: uniqueName("fits"), graph_json: twoSteps });
    expect(ok.status, ok.text).toBe(201);
    console.info(
      `[security] body limit: ${refused} oversize uploads (2-200 MiB, declared and chunked, REST and GraphQL) answered 413 with JSON; keep-alive sockets reused after each drained one`,
    );
  });
});
