/**
 * GraphQL over real HTTP, and `runEvents` through the official graphql-sse client while a worker in
 * another process executes the run via Redis.
 */
import { createClient } from "graphql-sse";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Proc, startProcess } from "../../test/helpers/process.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";
import { SPEC_EXAMPLE } from "../domain/workflow/examples.ts";

let stack: Stack;
const procs: Proc[] = [];
beforeAll(async () => {
  stack = await startStack({ redis: true, inlineWorker: false, latencyMs: 40 });
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop("SIGKILL")));
  await stack.close();
});

async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${stack.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as { data?: T; errors?: { message: string }[] }) };
}

const flow = (tag: string) =>
  chainOf([
    llmNode("a", { system: tag }),
    llmNode("b", { provider: "anthropic", model: "claude-3-5-haiku-20241022", system: tag }, { after: "a" }),
    llmNode("c", { system: tag }, { after: "b" }),
  ]);

const CREATE = `mutation($input: WorkflowInput!) {
  createWorkflow(input: $input) {
    __typename
    ... on Workflow { id name nodeCount graphJson }
    ... on ValidationError { message issues { path message } }
  }
}`;

describe("GraphQL", () => {
  it("lists, reads and restores workflow versions", async () => {
    const created = await gql<{ createWorkflow: { id: string } }>(CREATE, {
      input: { name: "Versions", graph: flow("gql versions") },
    });
    const id = created.data?.createWorkflow.id;
    const UPDATE = `mutation($id: ID!, $input: WorkflowUpdateInput!) {
      updateWorkflow(id: $id, input: $input) { __typename ... on Workflow { currentVersion } }
    }`;
    const changed = flow("gql versions v2");
    const saved = await gql<{ updateWorkflow: { currentVersion: number } }>(UPDATE, {
      id,
      input: { graph: changed, message: "new system prompt" },
    });
    expect(saved.data?.updateWorkflow.currentVersion).toBe(2);
    const restored = await gql<{ restoreWorkflowVersion: { __typename: string; currentVersion: number } }>(
      `mutation($id: ID!) { restoreWorkflowVersion(id: $id, version: 1) { __typename ... on Workflow { currentVersion } } }`,
      { id },
    );
    expect(restored.data?.restoreWorkflowVersion).toEqual({ __typename: "Workflow", currentVersion: 3 });
    const read = await gql<{
      workflow: {
        versions: { version: number; message: string | null }[];
        version: { graphJson: unknown } | null;
        none: null;
      };
    }>(
      `query($id: ID!) { workflow(id: $id) {
        versions { version message }
        version(version: 2) { graphJson }
        none: version(version: 99) { version }
      } }`,
      { id },
    );
    expect(read.data?.workflow.versions).toEqual([
      { version: 3, message: "restored version 1" },
      { version: 2, message: "new system prompt" },
      { version: 1, message: null },
    ]);
    expect(read.data?.workflow.version?.graphJson).toEqual(changed);
    expect(read.data?.workflow.none).toBeNull();
  });

  it("creates, reads, lists and validates workflows; invalid documents are typed errors", async () => {
    const ok = await gql<{ createWorkflow: { __typename: string } & { id: string; nodeCount: number } }>(CREATE, {
      input: { name: "Spec", description: "§3", graph: SPEC_EXAMPLE },
    });
    expect(ok.data?.createWorkflow.__typename).toBe("Workflow");
    expect(ok.data?.createWorkflow.nodeCount).toBe(4);
    const bad = await gql<{ createWorkflow: { __typename: string; issues: { path: string; message: string }[] } }>(
      CREATE,
      {
        input: { name: "Bad", graph: { ...SPEC_EXAMPLE, version: "2" } },
      },
    );
    expect(bad.data?.createWorkflow.__typename).toBe("ValidationError");
    expect(bad.data?.createWorkflow.issues).toContainEqual({ path: "version", message: 'expected version "1"' });

    const validate = await gql<{ validateWorkflow: { path: string }[] }>(
      "query($g: JSON!) { validateWorkflow(graph: $g) { path message } }",
      { g: { ...SPEC_EXAMPLE, entry: "x" } },
    );
    expect(validate.data?.validateWorkflow.map((i) => i.path)).toEqual(["entry"]);

    const list = await gql<{ workflows: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } } }>(
      `query { workflows(first: 10, search: "spec") { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(list.data?.workflows.edges.map((e) => e.node.id)).toContain(ok.data?.createWorkflow.id);

    const missing = await gql<{ updateWorkflow: { __typename: string } }>(
      `mutation { updateWorkflow(id: "00000000-0000-0000-0000-000000000000", input: { name: "x" }) { __typename } }`,
    );
    expect(missing.data?.updateWorkflow.__typename).toBe("NotFoundError");
    expect((await gql(`{ workflow(id: "nope") { id } }`)).data).toEqual({ workflow: null });
    // An id that is no UUID is parsed once, by the argument validator: a typed NotFoundError, never a 500.
    for (const mutation of [
      `startRun(workflowId: "nope") { __typename ... on NotFoundError { message } }`,
      `deleteWorkflow(id: "nope") { __typename ... on NotFoundError { message } }`,
    ]) {
      const refused = await gql<Record<string, { __typename: string; message: string }>>(`mutation { ${mutation} }`);
      expect(refused.status).toBe(200);
      expect(Object.values(refused.data ?? {})[0]).toEqual({
        __typename: "NotFoundError",
        message: "workflow nope does not exist",
      });
    }
    const noRuns = await gql<{ runs: { edges: unknown[] } }>(`{ runs(workflowId: "nope") { edges { cursor } } }`);
    expect(noRuns.data?.runs.edges).toEqual([]);
  });

  it("sets and removes provider bindings, refusing unknown providers", async () => {
    const created = await gql<{ createWorkflow: { id: string } }>(CREATE, {
      input: { name: "bind", graph: SPEC_EXAMPLE },
    });
    const id = created.data?.createWorkflow.id;
    const SET = `mutation($w: ID!, $p: String!, $m: String!, $t: Float) {
      setProviderBinding(workflowId: $w, provider: $p, model: $m, temperature: $t) {
        __typename
        ... on ProviderBinding { id provider model temperature }
        ... on ValidationError { issues { path message } }
      }
    }`;
    const set = await gql<{
      setProviderBinding: { __typename: string } & { id: string; model: string; temperature: number };
    }>(SET, {
      w: id,
      p: "openai",
      m: "gpt-4.1-nano",
      t: 0.2,
    });
    expect(set.data?.setProviderBinding).toMatchObject({ model: "gpt-4.1-nano", temperature: 0.2 });
    const again = await gql<{ setProviderBinding: { id: string; model: string } }>(SET, {
      w: id,
      p: "openai",
      m: "gpt-4o",
    });
    expect(again.data?.setProviderBinding.id).toBe(set.data?.setProviderBinding.id);
    const unknown = await gql<{ setProviderBinding: { __typename: string; issues: { path: string }[] } }>(SET, {
      w: id,
      p: "mistral",
      m: "x",
    });
    expect(unknown.data?.setProviderBinding.__typename).toBe("ValidationError");
    const wf = await gql<{ workflow: { providerBindings: { model: string }[] } }>(
      `query($id: ID!) { workflow(id: $id) { providerBindings { model } } }`,
      { id },
    );
    expect(wf.data?.workflow.providerBindings).toEqual([{ model: "gpt-4o" }]);
    const removed = await gql<{ removeProviderBinding: { __typename: string } }>(
      `mutation($id: ID!) { removeProviderBinding(id: $id) { __typename } }`,
      { id: set.data?.setProviderBinding.id },
    );
    expect(removed.data?.removeProviderBinding.__typename).toBe("Deleted");
  });

  it("lists providers (simulated, no keys) and the price map", async () => {
    const r = await gql<{
      providers: { name: string; simulated: boolean }[];
      pricing: { asOf: string; models: { model: string; aliases: string[] }[] };
    }>(
      "{ providers { name api simulated configured } pricing { asOf models { provider model aliases inputUsdPerMTok outputUsdPerMTok cachedInputUsdPerMTok source } } }",
    );
    expect(r.data?.providers.map((p) => p.name)).toEqual(["openai", "anthropic"]);
    expect(r.data?.providers.every((p) => p.simulated)).toBe(true);
    const sonnet = r.data?.pricing.models.find((m) => m.model === "claude-3-5-sonnet-20241022");
    expect(sonnet?.aliases).toContain("claude-3.5-sonnet");
    expect(JSON.stringify(r)).not.toMatch(/apiKey|sk-/);
  });

  it("rejects queries that would cost too much", async () => {
    const r = await gql(
      "{ workflows(first: 100) { edges { node { runs(first: 100) { edges { node { id status totalTokens totalCostCents steps { id } } } } } } } }",
    );
    expect(r.errors?.[0]?.message).toMatch(/^query cost \d+ exceeds the limit of 50000/);
  });

  it("rejects queries nested too deeply", async () => {
    const deep = `{ workflows { edges { node { runs { edges { node { workflow { runs { edges { node { workflow { lastRun { steps { events { id } } } } } } } } } } } } } } }`;
    const r = await gql(deep);
    expect(r.errors?.[0]?.message).toMatch(/nested \d+ levels deep; the limit is 12/);
  });

  it("streams runEvents over graphql-sse while a worker process runs the job via Redis; a late subscriber resumes with afterSeq", async () => {
    const worker = startProcess("server/src/main.worker.ts", {
      DATABASE_URL: stack.db.url,
      REDIS_URL: inject("redisUrl"),
      FLOWTRACE_QUEUE_PREFIX: stack.prefix,
      OPENAI_API_KEY: "sim",
      OPENAI_BASE_URL: stack.sim.openaiBaseUrl,
      ANTHROPIC_API_KEY: "sim",
      ANTHROPIC_BASE_URL: stack.sim.anthropicBaseUrl,
    });
    procs.push(worker);
    await worker.waitFor(/worker started/);
    stack.sim.setLatency(200, 5);

    const created = await gql<{ createWorkflow: { id: string } }>(CREATE, {
      input: { name: "live", graph: flow("gql live") },
    });
    const start = await gql<{ startRun: { __typename: string } & { id: string; status: string } }>(
      `mutation($w: ID!, $i: JSON) { startRun(workflowId: $w, inputVars: $i) { __typename ... on Run { id status } } }`,
      { w: created.data?.createWorkflow.id, i: { topic: "live trace" } },
    );
    expect(start.data?.startRun.status).toBe("queued");
    const runId = start.data?.startRun.id as string;

    const client = createClient({ url: `${stack.url}/graphql/stream` });
    const subscribe = (afterSeq?: number) =>
      (async () => {
        const seqs: number[] = [];
        const sub = client.iterate<{ runEvents: { seq: number; kind: string } }>({
          query: "subscription($r: ID!, $a: Int) { runEvents(runId: $r, afterSeq: $a) { seq kind ts stepId payload } }",
          variables: { r: runId, a: afterSeq ?? null },
        });
        for await (const result of sub) {
          if (result.data) seqs.push(result.data.runEvents.seq);
        }
        return seqs;
      })();
    const early = subscribe();
    // A late subscriber joins mid-run from the seq it saw last.
    while ((await stack.prisma.traceEvent.count({ where: { runId } })) < 5) await new Promise((r) => setTimeout(r, 20));
    const late = subscribe(3);
    const [earlySeqs, lateSeqs] = await Promise.all([early, late]);
    stack.sim.setLatency(40, 0);
    client.dispose();

    const stored = (await stack.prisma.traceEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } })).map(
      (e) => e.seq,
    );
    expect(stored.length).toBeGreaterThan(8);
    expect(earlySeqs).toEqual(stored);
    expect(lateSeqs).toEqual(stored.filter((s) => s > 3));

    const run = await gql<{
      run: {
        status: string;
        totalCostCents: string;
        steps: { nodeId: string; costCents: string }[];
        events: { edges: unknown[] };
      };
    }>(
      `query($id: ID!) { run(id: $id) { status totalTokens totalCostCents steps { nodeId status costCents tokensInput } events(afterSeq: 2, first: 3) { edges { node { seq kind } } pageInfo { hasNextPage } } } }`,
      { id: runId },
    );
    expect(run.data?.run.status).toBe("succeeded");
    expect(run.data?.run.totalCostCents).toMatch(/^\d+\.\d+$/);
    expect(run.data?.run.events.edges).toEqual([
      { node: { seq: 3, kind: expect.any(String) } },
      { node: { seq: 4, kind: expect.any(String) } },
      { node: { seq: 5, kind: expect.any(String) } },
    ]);
    const runs = await gql<{ runs: { edges: { node: { id: string } }[] } }>(
      `query($w: ID) { runs(workflowId: $w, status: succeeded, first: 5) { edges { node { id status } } } }`,
      { w: created.data?.createWorkflow.id },
    );
    expect(runs.data?.runs.edges.map((e) => e.node.id)).toEqual([runId]);

    // One step by id, with its full output (what the dashboard loads when a trace value was cut).
    const stepRow = await stack.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId: "c" } });
    const step = await gql<{ step: { id: string; nodeId: string; status: string; output: unknown } | null }>(
      "query($id: ID!) { step(id: $id) { id nodeId status output } }",
      { id: stepRow.id },
    );
    expect(step.data?.step).toEqual({ id: stepRow.id, nodeId: "c", status: "succeeded", output: stepRow.output });
    expect(typeof step.data?.step?.output).toBe("string");
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const missing = await gql("query($id: ID!) { step(id: $id) { id } }", { id });
      expect(missing).toEqual({ status: 200, data: { step: null } });
    }
  });

  it("streams runUpdated (status and totals) and runOutput (live text) until the run finishes", async () => {
    const local = await startStack({ latencyMs: 100 });
    try {
      const call = async <T>(query: string, variables: Record<string, unknown>) =>
        (await (
          await fetch(`${local.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query, variables }),
          })
        ).json()) as { data: T };
      const created = await call<{ createWorkflow: { id: string } }>(CREATE, {
        input: { name: "updates", graph: flow("gql updates") },
      });
      const started = await call<{ startRun: { id: string } }>(
        `mutation($w: ID!) { startRun(workflowId: $w, inputVars: { topic: "updates" }) { ... on Run { id } } }`,
        { w: created.data.createWorkflow.id },
      );
      const runId = started.data.startRun.id;
      const client = createClient({ url: `${local.url}/graphql/stream` });
      const collect = async <T>(query: string) => {
        const out: T[] = [];
        for await (const r of client.iterate<T>({ query, variables: { r: runId } })) if (r.data) out.push(r.data);
        return out;
      };
      const [updates, output] = await Promise.all([
        collect<{ runUpdated: { status: string; totalTokens: number } }>(
          "subscription($r: ID!) { runUpdated(runId: $r) { status totalTokens totalCostCents } }",
        ),
        collect<{ runOutput: { text: string; stepId: string } }>(
          "subscription($r: ID!) { runOutput(runId: $r) { stepId text } }",
        ),
      ]);
      client.dispose();
      expect(updates.at(-1)?.runUpdated.status).toBe("succeeded");
      expect(updates.at(-1)?.runUpdated.totalTokens).toBeGreaterThan(0);
      expect(updates.map((u) => u.runUpdated.status)).toContain("running");
      const text = output.map((o) => o.runOutput.text).join("");
      const responses = await local.prisma.traceEvent.findMany({
        where: { runId, kind: "llm.response" },
        orderBy: { seq: "asc" },
      });
      const full = responses.map((r) => (r.payload as { text: string }).text).join("");
      expect(text.length).toBeGreaterThan(0);
      expect(full.startsWith(text.slice(0, 20)) || full.includes(text.slice(0, 20))).toBe(true);
    } finally {
      await local.close();
    }
  });
});
