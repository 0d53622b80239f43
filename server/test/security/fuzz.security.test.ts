/**
 * Hostile input: a seeded corpus of more than 10,000 REST bodies, URLs, GraphQL documents,
 * variables and envelopes, workflow documents and malformed bytes (fuzz-corpus.ts) is sent over
 * real sockets to a real API process (PostgreSQL, Redis, inline executor, the simulator behind
 * the real SDKs). For every input: no 5xx, no masked "Unexpected error.", a JSON error body that
 * says what is wrong; afterwards the process is alive, /health is 200, every run the corpus
 * started has finished, and an ordinary run still succeeds. The prototype-pollution part of the
 * corpus is then replayed against an in-process server, where Object.prototype can be inspected.
 * Replay a corpus with FLOWTRACE_FUZZ_SEED=<seed>.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.ts";
import { type Simulator, startSimulator } from "../../src/providers/simulator/simulator.ts";
import { providerEnv, startApiProcess, startRunOverRest, waitAllFinished } from "../chaos/harness.ts";
import { createTestDatabase, type TestDatabase, uniqueName } from "../helpers/db.ts";
import type { Proc } from "../helpers/process.ts";
import { type Stack, startStack } from "../helpers/stack.ts";
import { buildCorpus, type CorpusSize, type Ids, POLLUTION_KEYS, type Probe } from "./fuzz-corpus.ts";

const SEED = Number(process.env.FLOWTRACE_FUZZ_SEED ?? 20261124);
const SIZE: CorpusSize = { rest: 3_600, graphql: 3_600, workflow: 2_000, raw: 1_000, runs: 150 };

/** A cheap workflow: a tool, then a prompt built from the run's inputs, then a router. */
const RUNNABLE = {
  version: "1",
  entry: "t",
  nodes: [
    { id: "t", type: "tool", name: "CSV", config: { text: "a,b\n1,2" } },
    {
      id: "a",
      type: "llm",
      name: "Answer",
      config: { provider: "openai", model: "gpt-4o-mini", system: "fuzz", maxTokens: 16 },
      // Hostile run inputs reach a prompt, the trace, the cache key and (through the answer) a router.
      inputs: { text: "{{input.topic}} {{input.csv}} {{node.t.output.summary}}" },
    },
    {
      id: "r",
      type: "router",
      name: "Route",
      config: { rule: "len(text) > 3 ? 'x' : 'y'" },
      inputs: { text: "{{node.a.output}}" },
    },
  ],
  edges: [
    { from: "t", to: "a" },
    { from: "a", to: "r" },
  ],
};

interface Outcome {
  probe: Probe;
  status: number;
  contentType: string;
  body: string;
  error?: string;
}

/** Sends probes over keep-alive sockets, `concurrency` at a time; never throws. */
async function send(baseUrl: string, probes: readonly Probe[], concurrency = 8): Promise<Outcome[]> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const one = (probe: Probe) =>
    new Promise<Outcome>((resolve) => {
      const body =
        probe.body === undefined ? undefined : Buffer.isBuffer(probe.body) ? probe.body : Buffer.from(probe.body);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: probe.method,
          path: probe.path,
          agent,
          headers: { ...probe.headers, ...(body ? { "content-length": String(body.length) } : {}) },
          timeout: 20_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (d: Buffer) => chunks.push(d));
          res.on("end", () =>
            resolve({
              probe,
              status: res.statusCode ?? 0,
              contentType: String(res.headers["content-type"] ?? ""),
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", (e) => resolve({ probe, status: 0, contentType: "", body: "", error: e.message }));
          // Cut mid-answer (a stream that never ends hits the timeout): no "end" event comes.
          res.on("close", () => {
            if (!res.complete) {
              resolve({ probe, status: 0, contentType: "", body: "", error: "the answer did not end within 20 s" });
            }
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("no complete answer within 20 s")));
      req.on("error", (e) =>
        resolve({
          probe,
          status: 0,
          contentType: "",
          body: "",
          error: `${(e as NodeJS.ErrnoException).code ?? ""} ${e.message}`,
        }),
      );
      req.end(body);
    });
  const outcomes: Outcome[] = new Array(probes.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < probes.length) {
        const i = next++;
        outcomes[i] = await one(probes[i] as Probe);
      }
    }),
  );
  agent.destroy();
  return outcomes;
}

/** Why an outcome is unacceptable, or null. */
function verdict(o: Outcome): string | null {
  if (o.error) return `transport: ${o.error}`;
  if (o.status >= 500) return `status ${o.status}`;
  if (o.body.includes("Unexpected error.")) return "masked GraphQL error";
  const streamed = o.contentType.startsWith("text/event-stream");
  if (o.status >= 400 && !streamed) {
    if (!o.contentType.includes("json")) return `status ${o.status} without a JSON body (${o.contentType})`;
    let parsed: { error?: { code?: unknown; message?: unknown }; errors?: { message?: unknown }[] };
    try {
      parsed = JSON.parse(o.body);
    } catch {
      return `status ${o.status} with a body that is not JSON`;
    }
    const message = parsed.error?.message ?? parsed.errors?.[0]?.message;
    if (typeof message !== "string" || message.length === 0) return `status ${o.status} without an error message`;
  }
  if (o.probe.path.startsWith("/graphql") && o.contentType.includes("json") && o.status === 200) {
    const parsed = JSON.parse(o.body) as { errors?: { message: string; extensions?: { code?: string } }[] } | unknown[];
    for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
      for (const e of (result as { errors?: { message: string; extensions?: { code?: string } }[] }).errors ?? []) {
        if (e.extensions?.code === "INTERNAL_SERVER_ERROR" || e.extensions?.code === "SERVICE_UNAVAILABLE") {
          return `GraphQL ${e.extensions.code}: ${e.message}`;
        }
      }
    }
  }
  return null;
}

const preview = (p: Probe) => {
  const body = p.body === undefined ? "" : Buffer.isBuffer(p.body) ? `<${p.body.length} bytes>` : p.body;
  return `${p.method} ${p.path.slice(0, 160)} ${body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body}`;
};

function summarise(outcomes: Outcome[]) {
  const failures = outcomes.flatMap((o) => {
    const why = verdict(o);
    return why ? [{ why, label: o.probe.label, input: preview(o.probe), answer: o.body.slice(0, 300) }] : [];
  });
  const statuses: Record<number, number> = {};
  const families: Record<string, number> = {};
  for (const o of outcomes) {
    statuses[o.status] = (statuses[o.status] ?? 0) + 1;
    families[o.probe.family] = (families[o.probe.family] ?? 0) + 1;
  }
  return { failures, statuses, families };
}

/** Run ids of runs the corpus managed to start (REST 202 and GraphQL startRun successes). */
function startedRuns(outcomes: Outcome[]): string[] {
  const ids = new Set<string>();
  for (const o of outcomes) {
    if (o.status === 202 && o.probe.path.endsWith("/runs")) ids.add((JSON.parse(o.body) as { runId: string }).runId);
    for (const m of o.body.matchAll(/"__typename":"Run","id":"([0-9a-f-]{36})"/g)) {
      if (m[1]) ids.add(m[1]);
    }
  }
  return [...ids];
}

async function seedIds(url: string): Promise<Ids> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status, path).toBeLessThan(300);
    return (await res.json()) as Record<string, string>;
  };
  const scratch = await post("/api/workflows", { name: "fuzz scratch", graph_json: RUNNABLE });
  const runnable = await post("/api/workflows", { name: "fuzz runnable", graph_json: RUNNABLE });
  const finishedRun = await startRunOverRest(url, RUNNABLE, { topic: "seed", csv: "3,4" });
  return { scratchWorkflow: scratch.id as string, runnableWorkflow: runnable.id as string, finishedRun };
}

describe("hostile input", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let sim: Simulator;
  let api: { proc: Proc; url: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    sim = await startSimulator();
    api = await startApiProcess({
      DATABASE_URL: db.url,
      REDIS_URL: inject("redisUrl"),
      FLOWTRACE_QUEUE_PREFIX: uniqueName("ftfuzz"),
      FLOWTRACE_INLINE_WORKER: "1",
      ...providerEnv(sim),
    });
  });
  afterAll(async () => {
    await api?.proc.stop("SIGKILL");
    await prisma?.$disconnect();
    await sim?.close();
    await db?.drop();
  });

  it(`survives ${SIZE.rest + SIZE.graphql + SIZE.workflow + SIZE.raw} hostile inputs with no 5xx and keeps serving`, async () => {
    const ids = await seedIds(api.url);
    await waitAllFinished(prisma, [ids.finishedRun], 60_000);
    const corpus = buildCorpus(SEED, ids, SIZE);
    expect(corpus.length).toBeGreaterThanOrEqual(10_000);

    const started = performance.now();
    const outcomes = await send(api.url, corpus);
    const seconds = (performance.now() - started) / 1000;
    const { failures, statuses, families } = summarise(outcomes);

    // The process is alive and serving.
    expect(api.proc.child.exitCode, api.proc.stderr().slice(-2000)).toBeNull();
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);

    // Every run the corpus started has finished; failures (if any) say why in words.
    const runIds = startedRuns(outcomes);
    const runs = await waitAllFinished(prisma, runIds, 120_000);
    const badRuns = runs.filter(
      (r) => r.status === "failed" && (!r.errorSummary || /internal|unexpected error/i.test(r.errorSummary)),
    );

    // And an ordinary run still succeeds.
    const normal = await startRunOverRest(api.url, RUNNABLE, { topic: "after the storm", csv: "5,6" });
    const [after] = await waitAllFinished(prisma, [normal], 60_000);

    const errorLogs = api.proc
      .stdout()
      .split("\n")
      .filter((l) => /"level":("error"|"fatal"|50|60)\b/.test(l));

    console.log(
      `[security] fuzz: ${outcomes.length} inputs (seed ${SEED}; ${Object.entries(families)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}) in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(statuses)}; ` +
        `runs started ${runIds.length} (${runs.filter((r) => r.status === "succeeded").length} succeeded, ` +
        `${runs.filter((r) => r.status === "failed").length} failed with a reason); failures ${failures.length}`,
    );
    expect(failures.slice(0, 15), `${failures.length} unacceptable answers`).toEqual([]);
    expect(badRuns).toEqual([]);
    expect(after?.status).toBe("succeeded");
    expect(errorLogs.slice(0, 5)).toEqual([]);
  });
});

describe("prototype pollution", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ inlineWorker: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("no input reaching REST, GraphQL, validation or a run changes Object.prototype", async () => {
    const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
    const before = prototypes.map((p) => Object.getOwnPropertyNames(p).sort());
    const ids = await seedIds(stack.url);
    const corpus = buildCorpus(SEED, ids, SIZE).filter((p) => {
      const body = typeof p.body === "string" ? p.body : (p.body?.toString("utf8") ?? "");
      return POLLUTION_KEYS.some((k) => body.includes(`"${k}"`) || p.path.includes(k));
    });
    expect(corpus.length).toBeGreaterThan(1_000);
    const outcomes = await send(stack.url, corpus);
    const runIds = startedRuns(outcomes);
    await waitAllFinished(stack.prisma, [...runIds, ids.finishedRun], 120_000);

    console.log(
      `[security] prototype pollution: ${corpus.length} inputs with __proto__/constructor/prototype, ${runIds.length} runs; polluted keys 0 expected`,
    );
    expect(prototypes.map((p) => Object.getOwnPropertyNames(p).sort())).toEqual(before);
    const probe = {} as Record<string, unknown>;
    expect([probe.polluted, probe.isAdmin, ([] as unknown as Record<string, unknown>).polluted]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(summarise(outcomes).failures.slice(0, 10)).toEqual([]);
  });
});
