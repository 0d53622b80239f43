/** Contract tests of the spec's REST API (§5) over real HTTP, and its SSE stream with EventSource. */
import http from "node:http";
import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TcpProxy } from "../../test/helpers/process.ts";
import { finishedRun, restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode, routerNode } from "../../test/helpers/workflows.ts";
import { SPEC_EXAMPLE } from "../domain/workflow/examples.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ latencyMs: 30 });
});
afterAll(() => stack.close());

const call = restClient(() => stack.url);

const simpleFlow = (tag: string) =>
  chainOf(
    [
      llmNode("a", { system: tag }),
      routerNode("r", "len(text) > 5 ? 'long' : 'short'", { after: "a" }),
      llmNode("b", { provider: "anthropic", model: "claude-3-5-haiku-20241022", system: tag }, { after: "a" }),
    ],
    { when: { 1: "branch == 'long'" } },
  );

const waitForRun = (runId: string) => finishedRun(call, runId, 50);

describe("REST API", () => {
  it("creates, lists, reads, updates and deletes workflows with the spec's payloads", async () => {
    const created = await call("POST", "/api/workflows", {
      name: "Spec example",
      description: "§3",
      graph_json: SPEC_EXAMPLE,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const id = created.body.id;

    const got = await call("GET", `/api/workflows/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, name: "Spec example", description: "§3", graph_json: SPEC_EXAMPLE });
    expect(Object.keys(got.body)).toEqual([
      "id",
      "owner_id",
      "name",
      "description",
      "graph_json",
      "expose_as_tool",
      "version",
      "created_at",
      "updated_at",
    ]);

    const list = await call("GET", "/api/workflows?search=spec");
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(id);

    const updated = await call("PUT", `/api/workflows/${id}`, { name: "Renamed" });
    expect(updated.status).toBe(200);
    expect(updated.body.name).toBe("Renamed");

    expect((await call("DELETE", `/api/workflows/${id}`)).status).toBe(204);
    expect((await call("GET", `/api/workflows/${id}`)).status).toBe(404);
  });

  it("answers bad input with 4xx and a clear error body, never a 500", async () => {
    const invalid = await call("POST", "/api/workflows", {
      name: "bad",
      graph_json: { ...SPEC_EXAMPLE, entry: "nowhere" },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe("invalid_workflow");
    expect(invalid.body.error.issues).toContainEqual({
      path: "entry",
      message: "entry 'nowhere' is not a node id (nodes: ingest, summarize, decide, deep)",
    });
    const malformed = await call("POST", "/api/workflows", "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("bad_request");
    const missing = await call("POST", "/api/workflows", { description: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(["name", "graph_json"]),
    );
    expect((await call("GET", "/api/workflows/not-a-uuid")).status).toBe(404);
    // A page cursor that is not one this API handed out is refused (not silently read as "first page").
    const badCursor = await call("GET", "/api/workflows?cursor=abc");
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.issues).toEqual([
      { path: "cursor", message: "expected the next_cursor of a previous page" },
    ]);
    const badLimit = await call("GET", "/api/workflows?limit=0");
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.issues[0].path).toBe("limit");
    expect((await call("GET", "/api/runs/00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect((await call("POST", "/api/workflows/00000000-0000-0000-0000-000000000000/runs", {})).status).toBe(404);
    // Oversized bodies: on a connection of their own (the server closes it without reading the rest).
    const huge = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${stack.url}/api/workflows`,
        { method: "POST", agent: false, headers: { "content-type": "application/json" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify({ name: "x", graph_json: { pad: "x".repeat(2 * 1024 * 1024) } }));
    });
    expect(huge).toBe(413);
    expect((await call("GET", "/api/nope")).status).toBe(404);
  });

  it("starts a run, reports its summary with steps, pages its trace, and refuses to cancel it once finished", async () => {
    const { body } = await call("POST", "/api/workflows", { name: "simple", graph_json: simpleFlow("rest summary") });
    const started = await call("POST", `/api/workflows/${body.id}/runs`, { input_vars: { topic: "cats and dogs" } });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ runId: expect.any(String) });
    const run = await waitForRun(started.body.runId);
    expect(run).toMatchObject({
      status: "succeeded",
      workflow_id: body.id,
      input_vars: { topic: "cats and dogs" },
      error_summary: null,
    });
    expect(run.total_tokens).toBe(
      run.steps.reduce(
        (a: number, s: { tokens_input: number; tokens_output: number }) => a + s.tokens_input + s.tokens_output,
        0,
      ),
    );
    expect(typeof run.total_cost_cents).toBe("string");
    // Listed in the order they ran (a → r → b), each with when it started — the router too, which
    // finishes within one flush interval (its running mark never lands on its own).
    expect(run.steps.map((s: { node_id: string }) => s.node_id)).toEqual(["a", "r", "b"]);
    for (const s of run.steps as { node_id: string; started_at: string | null; finished_at: string }[]) {
      expect(s.started_at, s.node_id).not.toBeNull();
      expect(Date.parse(s.started_at as string), s.node_id).toBeLessThanOrEqual(Date.parse(s.finished_at));
    }

    const page1 = await call("GET", `/api/runs/${run.id}/trace?limit=3`);
    expect(page1.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(page1.body.next_after).toBe(3);
    expect(Object.keys(page1.body.events[0])).toEqual(["seq", "ts", "kind", "step_id", "payload"]);
    const rest = await call("GET", `/api/runs/${run.id}/trace?after=3&limit=1000`);
    expect(rest.body.events[0].seq).toBe(4);
    expect(rest.body.events.at(-1).kind).toBe("run.finished");
    expect(rest.body.next_after).toBeNull();
    expect((await call("GET", `/api/runs/${run.id}/trace?after=-1`)).status).toBe(400);

    const cancel = await call("POST", `/api/runs/${run.id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe("conflict");
  });

  it("streams a live run over SSE and resumes exactly after Last-Event-ID on reconnect", async () => {
    stack.sim.setLatency(150, 5);
    const { body } = await call("POST", "/api/workflows", { name: "sse", graph_json: simpleFlow("rest sse") });
    const { body: started } = await call("POST", `/api/workflows/${body.id}/runs`, {
      input_vars: { topic: "a long topic" },
    });
    const runId = started.runId as string;

    const received: { seq: number; kind: string }[] = [];
    let deltas = 0;
    // First connection: read a few events, then drop it mid-run.
    await new Promise<void>((resolve, reject) => {
      const es = new EventSource(`${stack.url}/api/runs/${runId}/stream`);
      es.addEventListener("trace", (m) => {
        const e = JSON.parse(m.data);
        expect(m.lastEventId).toBe(String(e.seq));
        received.push({ seq: e.seq, kind: e.kind });
        if (received.length === 4) {
          es.close();
          resolve();
        }
      });
      es.addEventListener("delta", () => {
        deltas++;
      });
      es.onerror = (err) => reject(err);
    });
    // Reconnect with Last-Event-ID (what EventSource sends after a drop).
    const last = received.at(-1)?.seq ?? 0;
    const res = await fetch(`${stack.url}/api/runs/${runId}/stream`, { headers: { "last-event-id": String(last) } });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await res.text(); // the stream closes after run.finished
    stack.sim.setLatency(0, 0);
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    const all = [...received.map((r) => r.seq), ...ids];
    expect(all).toEqual(all.map((_, i) => i + 1)); // every event exactly once, in order
    expect(text).toMatch(/^data: \{"seq":\d+,"ts":"[^"]+","kind":"run\.finished"/m);
    const stored = await stack.prisma.traceEvent.count({ where: { runId } });
    expect(all.length).toBe(stored);
    expect(deltas + (text.match(/^event: delta$/gm)?.length ?? 0)).toBeGreaterThan(0);
  });

  it("reconnects a real EventSource after a dropped connection and resumes with Last-Event-ID", async () => {
    stack.sim.setLatency(150, 5);
    const { body } = await call("POST", "/api/workflows", { name: "drop", graph_json: simpleFlow("rest drop") });
    const { body: started } = await call("POST", `/api/workflows/${body.id}/runs`, {
      input_vars: { topic: "network drop" },
    });
    const target = new URL(stack.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.open();
    const seqs: number[] = [];
    let errors = 0;
    await new Promise<void>((resolve) => {
      const es = new EventSource(`http://127.0.0.1:${proxy.port}/api/runs/${started.runId}/stream`);
      es.addEventListener("trace", (m) => {
        const e = JSON.parse(m.data);
        seqs.push(e.seq);
        if (seqs.length === 3) {
          // The network drops mid-run and comes back: EventSource reconnects by itself.
          void proxy.cut().then(() => proxy.open());
        }
        if (e.kind === "run.finished") {
          es.close();
          resolve();
        }
      });
      es.onerror = () => {
        errors++;
      };
    });
    await proxy.cut();
    stack.sim.setLatency(0, 0);
    expect(errors).toBeGreaterThanOrEqual(1);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(seqs.length).toBe(await stack.prisma.traceEvent.count({ where: { runId: started.runId } }));
  });

  it("replays a finished run at once and sends heartbeats while waiting", async () => {
    const { body } = await call("POST", "/api/workflows", { name: "replay", graph_json: simpleFlow("rest replay") });
    const { body: started } = await call("POST", `/api/workflows/${body.id}/runs`, {});
    // No topic input: the first step fails with a clear template error; the stream still ends.
    const run = await waitForRun(started.runId);
    expect(run.status).toBe("failed");
    expect(run.error_summary).toBe("{{input.topic}}: run input 'topic' was not provided");
    const text = await (await fetch(`${stack.url}/api/runs/${run.id}/stream`)).text();
    expect(text.match(/^event: trace$/gm)?.length).toBe(
      await stack.prisma.traceEvent.count({ where: { runId: run.id } }),
    );
  });
});

describe("hostile input found by the fuzz corpus (regressions)", () => {
  it("ends the stream of a finished run resumed at or past its last event", async () => {
    const { body } = await call("POST", "/api/workflows", { name: "resume-end", graph_json: simpleFlow("rest end") });
    const { body: started } = await call("POST", `/api/workflows/${body.id}/runs`, { input_vars: { topic: "t" } });
    await waitForRun(started.runId);
    // The run's status is stored a moment before its closing run.finished event: wait for that too.
    while (!(await stack.prisma.traceEvent.findFirst({ where: { runId: started.runId, kind: "run.finished" } }))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = await stack.prisma.traceEvent.count({ where: { runId: started.runId } });
    for (const after of [String(last), String(last + 5), "99999999999999999999"]) {
      const res = await fetch(`${stack.url}/api/runs/${started.runId}/stream`, {
        headers: { "last-event-id": after },
        signal: AbortSignal.timeout(5_000),
      });
      expect(res.status, after).toBe(204);
      expect(await res.text(), after).toBe("");
    }
  });

  it("lets a standard EventSource read a finished run once and stop, instead of reconnecting forever", async () => {
    const { body } = await call("POST", "/api/workflows", { name: "es-end", graph_json: simpleFlow("rest es end") });
    const { body: started } = await call("POST", `/api/workflows/${body.id}/runs`, { input_vars: { topic: "t" } });
    await waitForRun(started.runId);
    while (!(await stack.prisma.traceEvent.findFirst({ where: { runId: started.runId, kind: "run.finished" } }))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const seqs: number[] = [];
    const es = new EventSource(`${stack.url}/api/runs/${started.runId}/stream`);
    es.addEventListener("trace", (m) => seqs.push(JSON.parse(m.data).seq));
    // After the replay the server ends the stream; EventSource reconnects once with Last-Event-ID,
    // gets 204 No Content and closes for good (readyState CLOSED) rather than retrying every few seconds.
    await new Promise<void>((resolve) => {
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED) resolve();
      };
    });
    expect(es.readyState).toBe(EventSource.CLOSED);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(seqs.length).toBe(await stack.prisma.traceEvent.count({ where: { runId: started.runId } }));
  });

  it("refuses NUL, unpaired surrogates and runaway nesting with the path, before storage", async () => {
    const { body } = await call("POST", "/api/workflows", { name: "nul", graph_json: simpleFlow("rest nul") });
    const nul = await call("POST", `/api/workflows/${body.id}/runs`, { input_vars: { topic: "a\u0000b" } });
    expect(nul.status).toBe(400);
    expect(nul.body.error.issues).toEqual([
      {
        path: "input_vars.topic",
        message: "the text contains the NUL character (\\u0000) at position 1, which cannot be stored",
      },
    ]);
    const lone = await call("POST", "/api/workflows", '{"name":"x\\ud800","graph_json":{}}');
    expect(lone.status).toBe(400);
    expect(lone.body.error.message).toMatch(
      /^invalid request body: name: the text contains an unpaired UTF-16 surrogate/,
    );
    const deep = await call(
      "POST",
      `/api/workflows/${body.id}/runs`,
      `{"input_vars":{"topic":${"[".repeat(5_000)}${"]".repeat(5_000)}}}`,
    );
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/input_vars\.topic(\[0\])+: nested more than 64 levels deep/);
    const search = await call("GET", "/api/workflows?search=%00");
    expect(search.status).toBe(400);
    expect(search.body.error.message).toMatch(/^invalid URL: query\.search\[0\]: the text contains the NUL character/);
  });

  it("answers GraphQL protocol mistakes with JSON errors, not 500 or empty bodies", async () => {
    const bad = await fetch(
      `${stack.url}/graphql?query=${encodeURIComponent("{ version { version } }")}&variables=NaN`,
      {
        headers: { accept: "application/json" },
      },
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      errors: [
        {
          message: "the 'variables' parameter is not valid JSON; expected a JSON object",
          extensions: { code: "BAD_REQUEST" },
        },
      ],
    });
    const plain = await fetch(`${stack.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: '{"query":"{ version { version } }"}',
    });
    expect(plain.status).toBe(415);
    expect(plain.headers.get("content-type")).toMatch(/json/);
    expect((await plain.json()).errors[0].message).toMatch(/^unsupported media type/);
    const deep = await call("POST", "/graphql", { query: `${"{ __typename ".repeat(3_000)}${"}".repeat(3_000)}` });
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].message).toBe("the document is nested 3000 levels deep; the limit is 100");
    const huge = await call("POST", "/graphql", {
      query: "query($id: ID!) { workflow(id: $id) { id } }",
      variables: { id: Array.from({ length: 50_000 }, (_, i) => i) },
    });
    expect(huge.body.errors[0].message.length).toBeLessThan(1_100);
    expect(huge.body.errors[0].message).toMatch(/… \[\d+ more characters\]$/);
    const nul = await call("POST", "/graphql", {
      query:
        'mutation($v: JSON) { startRun(workflowId: "00000000-0000-0000-0000-000000000000", inputVars: $v) { __typename } }',
      variables: { v: { topic: "\u0000" } },
    });
    expect(nul.body.errors[0]).toMatchObject({
      message:
        "invalid variables: variables.v.topic: the text contains the NUL character (\\u0000) at position 0, which cannot be stored",
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("keeps a keep-alive connection usable after an answer that did not read the body", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (path: string, type: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = http.request(
          new URL(path, stack.url),
          { method: "POST", agent, headers: { "content-type": type } },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
          },
        );
        req.on("error", reject);
        req.end("x".repeat(200_000));
      });
    try {
      expect(await post("/graphql", "text/plain")).toEqual({ status: 415, reused: false });
      await new Promise((r) => setTimeout(r, 700)); // past @hono/node-server's 500 ms discard
      expect(await post("/api/nowhere", "application/json")).toEqual({ status: 404, reused: true });
      await new Promise((r) => setTimeout(r, 700));
      expect(await post("/graphql", "text/plain")).toEqual({ status: 415, reused: true });
    } finally {
      agent.destroy();
    }
  });
});

describe("API token", () => {
  it("requires the bearer token on /api and /graphql when FLOWTRACE_API_TOKEN is set", async () => {
    const secured = await startStack({ apiToken: "a-very-long-secret-token", inlineWorker: false });
    try {
      expect((await fetch(`${secured.url}/api/workflows`)).status).toBe(401);
      expect((await fetch(`${secured.url}/api/workflows`, { headers: { authorization: "Bearer wrong" } })).status).toBe(
        401,
      );
      const ok = await fetch(`${secured.url}/api/workflows`, {
        headers: { authorization: "Bearer a-very-long-secret-token" },
      });
      expect(ok.status).toBe(200);
      const gql = await fetch(`${secured.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ version { version } }" }),
      });
      expect(gql.status).toBe(401);
      expect((await fetch(`${secured.url}/health`)).status).toBe(200);
    } finally {
      await secured.close();
    }
  });
});
