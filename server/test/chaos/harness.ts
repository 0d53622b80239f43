/**
 * Shared pieces of the chaos tests: real-looking provider keys, workflow builders, run creation
 * through the real queue, and the trace invariants every test checks (gap-free, duplicate-free
 * sequence ending in exactly one `run.finished`).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.ts";
import {
  type SimCall,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/providers/simulator/simulator.ts";
import type { JobQueue } from "../../src/queue/queue.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { freePort, type Proc, startApi, startProcess, until } from "../helpers/process.ts";

export interface ChaosEnvironment {
  db: TestDatabase;
  prisma: PrismaClient;
  sim: Simulator;
  /** Processes the test starts: SIGKILLed after the file, before anything else is torn down. */
  procs: Proc[];
  /** More teardown (a proxy, a private Redis, a queue), run after the processes are gone. */
  onTeardown(fn: () => Promise<unknown> | unknown): void;
}

/**
 * The setup every process-level chaos test shares, as beforeAll/afterAll hooks: a private database,
 * a Prisma client on it and the provider simulator. Read its fields inside the tests (they are set
 * once beforeAll has run).
 */
export function chaosEnvironment(simulator: SimulatorOptions): ChaosEnvironment {
  const teardown: (() => Promise<unknown> | unknown)[] = [];
  const env = {
    procs: [] as Proc[],
    onTeardown: (fn: () => Promise<unknown> | unknown) => void teardown.push(fn),
  } as ChaosEnvironment;
  beforeAll(async () => {
    env.db = await createTestDatabase();
    env.prisma = createPrismaClient(env.db.url);
    env.sim = await startSimulator(simulator);
  });
  afterAll(async () => {
    await Promise.all(env.procs.map((p) => p.stop("SIGKILL")));
    for (const fn of teardown.reverse()) await fn();
    await env.prisma?.$disconnect();
    await env.sim?.close();
    await env.db?.drop();
  });
  return env;
}

/** Keys shaped like the vendors' real ones, so a leak check is meaningful (the simulator accepts any). */
export const KEYS = {
  openai: `sk-proj-${randomBytes(36).toString("base64url")}`,
  anthropic: `sk-ant-api03-${randomBytes(60).toString("base64url")}-${randomBytes(4).toString("hex")}AA`,
};

export function providerEnv(sim: Simulator): Record<string, string> {
  return {
    OPENAI_API_KEY: KEYS.openai,
    OPENAI_BASE_URL: sim.openaiBaseUrl,
    ANTHROPIC_API_KEY: KEYS.anthropic,
    ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
  };
}

/** Every place a key must never appear: searched for the whole key and for its distinctive tail. */
export function expectNoSecrets(label: string, text: string) {
  for (const key of Object.values(KEYS)) {
    expect(text.includes(key), `${label} contains a provider key`).toBe(false);
    expect(text.includes(key.slice(-24)), `${label} contains part of a provider key`).toBe(false);
  }
}

/** A linear chain of `n` LLM steps; `tag` makes every prompt unique to its run. */
export function chain(n: number, tag: string) {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    type: "llm",
    name: `Step ${i}`,
    config: {
      provider: i % 2 === 0 ? "openai" : "anthropic",
      model: i % 2 === 0 ? "gpt-4o-mini" : "claude-3-5-haiku-20241022",
      system: `${tag} step ${i}`,
      maxTokens: 64,
    },
    inputs: { text: i === 0 ? "{{input.topic}}" : `{{node.s${i - 1}.output}}` },
  }));
  const edges = nodes.slice(1).map((node, i) => ({ from: `s${i}`, to: node.id }));
  return { version: "1", entry: "s0", nodes, edges };
}

/** a → (b, c, d) in parallel → e: exercises LangGraph's pending writes on a crash mid-superstep. */
export function fanOut(tag: string) {
  const llm = (id: string, text: string) => ({
    id,
    type: "llm",
    name: id,
    config: { provider: "openai", model: "gpt-4o-mini", system: `${tag} ${id}`, maxTokens: 64 },
    inputs: { text },
  });
  return {
    version: "1",
    entry: "a",
    parallel: true,
    nodes: [
      llm("a", "{{input.topic}}"),
      llm("b", "{{node.a.output}}"),
      llm("c", "{{node.a.output}}"),
      llm("d", "{{node.a.output}}"),
      llm("e", "{{node.b.output}} {{node.c.output}} {{node.d.output}}"),
    ],
    edges: [
      { from: "a", to: "b" },
      { from: "a", to: "c" },
      { from: "a", to: "d" },
      { from: "b", to: "e" },
      { from: "c", to: "e" },
      { from: "d", to: "e" },
    ],
  };
}

/** draft → gate → publish (approved) / revise (rejected); the tag makes every prompt unique. */
export function gated(tag: string) {
  const llm = (id: string, text: string) => ({
    id,
    type: "llm",
    name: id,
    config: { provider: "openai", model: "gpt-4o-mini", system: `${tag} ${id}`, maxTokens: 48 },
    inputs: { text },
  });
  return {
    version: "1",
    entry: "draft",
    nodes: [
      llm("draft", "{{input.topic}}"),
      { id: "gate", type: "approval", name: "Gate", config: { message: `${tag}: publish?` } },
      llm("publish", "{{node.draft.output}}"),
      llm("revise", "{{node.draft.output}}"),
    ],
    edges: [
      { from: "draft", to: "gate" },
      { from: "gate", to: "publish", when: "branch == 'approved'" },
      { from: "gate", to: "revise", when: "branch == 'rejected'" },
    ],
  };
}

export async function createRun(
  prisma: PrismaClient,
  queue: JobQueue,
  graph: object,
  inputVars: Record<string, unknown>,
): Promise<string> {
  const wf = await prisma.workflow.create({
    data: { project: { connect: { name: "default" } }, name: `chaos ${inputVars.topic}`, graphJson: graph },
  });
  const run = await prisma.workflowRun.create({
    data: { workflowId: wf.id, graphSnapshot: graph, inputVars: inputVars as object },
  });
  await queue.enqueue("runs", { runId: run.id }, { jobId: run.id });
  return run.id;
}

const TERMINAL = ["succeeded", "failed", "canceled"];

export async function waitAllFinished(prisma: PrismaClient, runIds: string[], ms = 120_000) {
  try {
    return await until(
      () =>
        prisma.workflowRun.findMany({
          where: { id: { in: runIds } },
          select: { id: true, status: true, errorSummary: true },
        }),
      (runs) => runs.length === runIds.length && runs.every((r) => TERMINAL.includes(r.status)),
      ms,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\nunfinished runs:\n${await describeUnfinished(prisma, runIds)}`);
  }
}

/** What a timed-out wait leaves behind: each unfinished run's status, job, approvals and last event. */
async function describeUnfinished(prisma: PrismaClient, runIds: string[]): Promise<string> {
  const open = await prisma.workflowRun.findMany({
    where: { id: { in: runIds }, status: { notIn: ["succeeded", "failed", "canceled"] } },
    select: {
      id: true,
      status: true,
      jobId: true,
      startedAt: true,
      approvals: { select: { nodeId: true, status: true } },
    },
  });
  const lines = await Promise.all(
    open.map(async (r) => {
      const last = await prisma.traceEvent.findFirst({ where: { runId: r.id }, orderBy: { seq: "desc" } });
      const approvals = r.approvals.map((a) => `${a.nodeId}:${a.status}`).join(",");
      return `  ${r.id} ${r.status} job=${r.jobId ?? r.id} approvals=[${approvals}] last=${last?.seq}:${last?.kind}@${last?.ts.toISOString()}`;
    }),
  );
  return lines.join("\n");
}

/** Seq 1..N without gap or duplicate, one `run.started` first and one `run.finished` last. Returns N. */
export async function expectCompleteTrace(prisma: PrismaClient, runId: string): Promise<number> {
  const events = await prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
  const seqs = events.map((e) => e.seq);
  expect(seqs, `run ${runId} seqs`).toEqual(seqs.map((_, i) => i + 1));
  expect(events[0]?.kind, `run ${runId} first event`).toBe("run.started");
  expect(events.at(-1)?.kind, `run ${runId} last event`).toBe("run.finished");
  expect(events.filter((e) => e.kind === "run.finished").length, `run ${runId} run.finished count`).toBe(1);
  return events.length;
}

/**
 * Completed (whole answer sent), billable (not an idempotent replay) calls per distinct request,
 * keyed by system prompt + prompt — unique per workflow node per run in these tests.
 */
export function billedCallsByRequest(calls: readonly SimCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls) {
    if (!c.completed || c.replayed) continue;
    const key = `${c.system ?? ""}\u0000${c.prompt ?? ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** An API process in server mode (PostgreSQL + Redis), with the simulator behind the real SDKs. */
export async function startApiProcess(env: Record<string, string>): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const proc = startApi({ PORT: String(port), HOST: "127.0.0.1", FLOWTRACE_SEED_DEMO: "0", ...env });
  await proc.waitFor(/FlowTrace is ready at/);
  return { proc, url: `http://127.0.0.1:${port}` };
}

export async function startWorkerProcess(env: Record<string, string>): Promise<Proc> {
  const proc = startProcess("server/src/main.worker.ts", env);
  await proc.waitFor(/worker started/);
  return proc;
}

/** POST a workflow and a run through the REST API; returns the run id. */
export async function startRunOverRest(url: string, graph: object, inputVars: object, token?: string): Promise<string> {
  const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const wf = await fetch(`${url}/api/workflows`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "chaos", graph_json: graph }),
  });
  if (wf.status !== 201 && wf.status !== 200) throw new Error(`create workflow: ${wf.status} ${await wf.text()}`);
  const { id } = (await wf.json()) as { id: string };
  const run = await fetch(`${url}/api/workflows/${id}/runs`, {
    method: "POST",
    headers,
    body: JSON.stringify({ input_vars: inputVars }),
  });
  if (run.status !== 202 && run.status !== 201 && run.status !== 200) {
    throw new Error(`start run: ${run.status} ${await run.text()}`);
  }
  return ((await run.json()) as { runId: string }).runId;
}
