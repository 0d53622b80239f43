/**
 * Other websites against a local FlowTrace that asks for no credentials (the default): what a page
 * on https://evil.example can make a visitor's browser send — a cross-origin read, a plain form or
 * `no-cors` POST, a DNS-rebound Host — gets nothing and changes nothing. Raw HTTP, so the test sets
 * the headers a browser would (Origin, Host, content types a form may use).
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProcess } from "../helpers/process.ts";
import { type Stack, startStack } from "../helpers/stack.ts";
import { chainOf, llmNode } from "../helpers/workflows.ts";

const EVIL = "https://evil.example";
const APP = "https://app.example";

let open: Stack;
let withCors: Stack;
let secured: Stack;

beforeAll(async () => {
  [open, withCors, secured] = await Promise.all([
    startStack({ latencyMs: 1 }),
    startStack({ latencyMs: 1, corsOrigins: [APP] }),
    startStack({ latencyMs: 1, apiToken: "t".repeat(24) }),
  ]);
});
afterAll(() => Promise.all([open, withCors, secured].map((s) => s.close())));

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers (fetch would not let a test set Host). */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const url = new URL(path, base);
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: { ...headers, ...(body !== undefined ? { "content-length": Buffer.byteLength(body) } : {}) } },
      (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const workflowCount = async (s: Stack) => s.prisma.workflow.count();
const runCount = async (s: Stack) => s.prisma.workflowRun.count();
const GRAPH = JSON.stringify({ name: "planted", graph_json: chainOf([llmNode("a")]) });

describe("cross-origin reads", () => {
  it("GraphQL and REST give another origin no CORS grant, on the request or its preflight", async () => {
    const query = JSON.stringify({ query: "{ workflows(first: 5) { edges { node { id } } } }" });
    for (const [path, method, body] of [
      ["/graphql", "POST", query],
      ["/api/workflows", "GET", undefined],
    ] as const) {
      const res = await raw(open.url, method, path, { origin: EVIL, "content-type": "application/json" }, body);
      expect(res.headers["access-control-allow-origin"], path).toBeUndefined();
      expect(res.headers["access-control-allow-credentials"], path).toBeUndefined();
      const preflight = await raw(open.url, "OPTIONS", path, {
        origin: EVIL,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      });
      expect(preflight.headers["access-control-allow-origin"], `${path} preflight`).toBeUndefined();
    }
  });

  it("FLOWTRACE_CORS_ORIGINS grants exactly the listed origins", async () => {
    const preflight = (origin: string) =>
      raw(withCors.url, "OPTIONS", "/graphql", {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      });
    expect((await preflight(APP)).headers["access-control-allow-origin"]).toBe(APP);
    expect((await preflight(EVIL)).headers["access-control-allow-origin"]).toBeUndefined();
    const read = await raw(withCors.url, "GET", "/api/workflows", { origin: APP });
    expect(read.headers["access-control-allow-origin"]).toBe(APP);
  });
});

describe("cross-site writes", () => {
  it("a plain form or no-cors POST (text/plain, urlencoded, multipart) is refused with 415 and changes nothing", async () => {
    const before = await workflowCount(open);
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await raw(open.url, "POST", "/api/workflows", { "content-type": type }, GRAPH);
      expect(res.status, type).toBe(415);
      expect(JSON.parse(res.body).error.code).toBe("unsupported_media_type");
    }
    const noType = await raw(open.url, "POST", "/api/workflows", {}, GRAPH);
    expect(noType.status).toBe(415);
    expect(await workflowCount(open)).toBe(before);
  });

  it("cannot start a run (real provider spend) from another site", async () => {
    const created = await raw(open.url, "POST", "/api/workflows", { "content-type": "application/json" }, GRAPH);
    const id = JSON.parse(created.body).id as string;
    const before = await runCount(open);
    const form = await raw(
      open.url,
      "POST",
      `/api/workflows/${id}/runs`,
      { "content-type": "text/plain", origin: EVIL },
      "{}",
    );
    expect([403, 415]).toContain(form.status);
    const json = await raw(
      open.url,
      "POST",
      `/api/workflows/${id}/runs`,
      { "content-type": "application/json", origin: EVIL },
      "{}",
    );
    expect(json.status).toBe(403);
    expect(JSON.parse(json.body).error).toMatchObject({
      code: "forbidden_origin",
      message: expect.stringContaining("FLOWTRACE_CORS_ORIGINS"),
    });
    expect(await runCount(open)).toBe(before);
    const sameSite = await raw(
      open.url,
      "POST",
      `/api/workflows/${id}/runs`,
      {
        "content-type": "application/json",
        origin: open.url,
        host: new URL(open.url).host,
      },
      "{}",
    );
    expect(sameSite.status).toBe(202);
  });

  it("GraphQL mutations from another origin are refused; a dataset import still takes CSV", async () => {
    const mutation = JSON.stringify({ query: 'mutation { createDataset(name: "x") { __typename } }' });
    const res = await raw(open.url, "POST", "/graphql", { "content-type": "application/json", origin: EVIL }, mutation);
    expect(res.status).toBe(403);
    const created = await raw(
      open.url,
      "POST",
      "/api/datasets",
      { "content-type": "application/json" },
      '{"name":"csv"}',
    );
    const id = JSON.parse(created.body).id as string;
    const csv = await raw(open.url, "POST", `/api/datasets/${id}/items`, { "content-type": "text/csv" }, "q\na\n");
    expect(csv.status).toBe(201);
    const plain = await raw(open.url, "POST", `/api/datasets/${id}/items`, { "content-type": "text/plain" }, "q\na\n");
    expect(plain.status).toBe(415);
  });
});

describe("DNS rebinding", () => {
  it("without credentials, only loopback names are answered", async () => {
    for (const path of ["/api/workflows", "/graphql?query=%7B__typename%7D", "/"]) {
      const res = await raw(open.url, "GET", path, { host: "evil.example:3000" });
      expect(res.status, path).toBe(403);
      expect(JSON.parse(res.body).error.code).toBe("host_not_allowed");
    }
    const port = new URL(open.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await raw(open.url, "GET", "/api/workflows", { host })).status, host).toBe(200);
    }
  });

  it("with a token, any Host may ask, and still needs the token", async () => {
    const res = await raw(secured.url, "GET", "/api/workflows", { host: "flowtrace.example.com" });
    expect(res.status).toBe(401);
  });
});

describe("start-up", () => {
  it("refuses to listen beyond loopback with no way to authenticate, saying what to set", async () => {
    const proc = startProcess("server/src/main.api.ts", { HOST: "0.0.0.0", PORT: "0", FLOWTRACE_SEED_DEMO: "0" });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toMatch(/HOST is 0\.0\.0\.0 \(not loopback\).*set FLOWTRACE_API_TOKEN/);
  });
});
