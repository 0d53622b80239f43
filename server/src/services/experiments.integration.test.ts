/**
 * Datasets and experiments over REST against real PostgreSQL, the real SDKs and the simulator:
 * imports (JSON, CSV, JSON Lines, bad rows), every scorer including the LLM judge, summaries
 * recomputed from the runs, a comparison with a known regression, and cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";
import { percentile } from "../domain/eval/summary.ts";

type Call = ReturnType<typeof restClient>;
let stack: Stack;
let call: Call;

beforeAll(async () => {
  stack = await startStack({ latencyMs: 2, concurrency: 8 });
  call = restClient(() => stack.url);
});
afterAll(() => stack.close());

async function upload(datasetId: string, type: string, text: string, query = "") {
  const res = await fetch(`${stack.url}/api/datasets/${datasetId}/items${query}`, {
    method: "POST",
    headers: { "content-type": type },
    body: text,
  });
  return { status: res.status, body: await res.json() };
}

async function createWorkflow(graph: object, name = "eval target") {
  const { status, body } = await call("POST", "/api/workflows", { name, graph_json: graph });
  expect(status).toBe(201);
  return body.id as string;
}

async function finishedExperiment(id: string) {
  for (;;) {
    const { body } = await call("GET", `/api/experiments/${id}`);
    if (["succeeded", "failed", "canceled"].includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runExperiment(workflowId: string, body: object) {
  const started = await call("POST", `/api/workflows/${workflowId}/experiments`, body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return finishedExperiment(started.body.experimentId);
}

describe("datasets", () => {
  it("creates from JSON, pages items, appends CSV and JSON Lines, renames, replaces and deletes", async () => {
    const created = await call("POST", "/api/datasets", {
      name: "capitals",
      description: "a few",
      items: [{ input_vars: { topic: "France" }, expected: "Paris" }, { input_vars: { topic: "Peru" } }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const csv = await upload(id, "text/csv", 'topic,tone,expected\nJapan,dry,Tokyo\n"Chile, long",warm,"Santiago"\n');
    expect(csv).toEqual({ status: 201, body: { added: 2, item_count: 4 } });
    const jsonl = await upload(
      id,
      "application/x-ndjson",
      '{"input_vars":{"topic":"Kenya"},"expected":"Nairobi","metadata":{"src":"x"}}\n\n{"topic":"Mali","expected":"Bamako"}\n',
    );
    expect(jsonl).toEqual({ status: 201, body: { added: 2, item_count: 6 } });

    const page = await call("GET", `/api/datasets/${id}?limit=4`);
    expect(page.body).toMatchObject({ name: "capitals", item_count: 6, next_offset: 4 });
    expect(page.body.items.map((i: { input_vars: object }) => i.input_vars)).toEqual([
      { topic: "France" },
      { topic: "Peru" },
      { topic: "Japan", tone: "dry" },
      { topic: "Chile, long", tone: "warm" },
    ]);
    expect(page.body.items[1].expected).toBeUndefined();
    const rest = await call("GET", `/api/datasets/${id}?offset=4`);
    expect(rest.body.next_offset).toBeNull();
    expect(rest.body.items).toMatchObject([
      { position: 4, input_vars: { topic: "Kenya" }, expected: "Nairobi", metadata: { src: "x" } },
      { position: 5, input_vars: { topic: "Mali" }, expected: "Bamako" },
    ]);

    const renamed = await call("PUT", `/api/datasets/${id}`, {
      name: "capitals 2",
      items: [{ input_vars: { topic: "Chad" } }],
    });
    expect(renamed.body).toMatchObject({ name: "capitals 2", item_count: 1 });
    expect((await call("GET", "/api/datasets")).body.items.some((d: { id: string }) => d.id === id)).toBe(true);
    expect((await call("DELETE", `/api/datasets/${id}`)).status).toBe(204);
    expect((await call("GET", `/api/datasets/${id}`)).status).toBe(404);
  });

  it("names every bad row and keeps none of an upload with one", async () => {
    const { body } = await call("POST", "/api/datasets", { name: "strict", items: [{ input_vars: { a: 1 } }] });
    const csv = await upload(body.id, "text/csv", 'q,metadata\nok,"{""a"":1}"\ntoo,many,cells\nbad,{oops\n');
    expect(csv.status).toBe(422);
    expect(csv.body.error.issues).toEqual([
      { path: "row 3", message: "expected 2 columns (q, metadata), got 3" },
      { path: "row 4, column metadata", message: expect.stringMatching(/^not valid JSON/) },
    ]);
    const preview = await upload(body.id, "text/csv", "q\na\nb\n", "?dry_run=1");
    expect(preview).toEqual({
      status: 200,
      body: { count: 2, items: [{ input_vars: { q: "a" } }, { input_vars: { q: "b" } }], issues: [] },
    });
    const jsonl = await upload(
      body.id,
      "application/x-ndjson",
      '{"input_vars":{"q":1}}\nnot json\n{"input_vars":[1]}\n',
    );
    expect(jsonl.status).toBe(422);
    expect(jsonl.body.error.issues.map((i: { path: string }) => i.path)).toEqual(["line 2", "line 3: input_vars"]);
    const quotes = await upload(body.id, "text/csv", 'q\nok\n"open\n');
    expect(quotes.body.error.issues[0]).toMatchObject({
      path: "row 3",
      message: expect.stringMatching(/^not valid CSV/),
    });
    const header = await upload(body.id, "text/csv", "q,q\n1,2\n");
    expect(header.body.error.issues).toEqual([{ path: "row 1, column q", message: "the column name appears twice" }]);
    expect((await call("GET", `/api/datasets/${body.id}`)).body.item_count).toBe(1);

    const bad = await call("POST", `/api/datasets/${body.id}/items`, { items: [{ input: {} }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/items\.0/);
    expect((await upload(body.id, "text/plain", "x")).status).toBe(415);
    expect(
      (await call("POST", "/api/datasets/00000000-0000-4000-8000-000000000000/items", { items: [{ input_vars: {} }] }))
        .status,
    ).toBe(404);
  });

  it("takes an import larger than the API's usual 1 MiB body limit (up to 20 MiB)", async () => {
    const { body } = await call("POST", "/api/datasets", { name: "big" });
    const pad = "x".repeat(420);
    const csv = `topic,expected\n${Array.from({ length: 5_000 }, (_, i) => `t${i} ${pad},e${i}`).join("\n")}\n`;
    expect(csv.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(await upload(body.id, "text/csv", csv)).toEqual({ status: 201, body: { added: 5_000, item_count: 5_000 } });
    const tooMany = await upload(
      body.id,
      "text/csv",
      `topic\n${Array.from({ length: 5_001 }, (_, i) => `t${i}`).join("\n")}\n`,
    );
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.issues[0].message).toBe("a dataset holds at most 10000 items (5000 + 5001)");
  });

  it("adds a finished run: its inputs, and its output as expected", async () => {
    const wf = await createWorkflow(chainOf([llmNode("a")]));
    const run = await call("POST", `/api/workflows/${wf}/runs`, { input_vars: { topic: "otters" } });
    const { body: ds } = await call("POST", "/api/datasets", { name: "from runs" });
    let added = await call("POST", `/api/datasets/${ds.id}/items/from-run`, { run_id: run.body.runId });
    while (added.status === 422) {
      await new Promise((r) => setTimeout(r, 50));
      added = await call("POST", `/api/datasets/${ds.id}/items/from-run`, { run_id: run.body.runId });
    }
    expect(added.status).toBe(201);
    const { body } = await call("GET", `/api/datasets/${ds.id}`);
    const step = await call("GET", `/api/runs/${run.body.runId}/steps/a`);
    expect(body.items[0]).toMatchObject({
      input_vars: { topic: "otters" },
      expected: step.body.output,
      source_run_id: run.body.runId,
    });
  });
});

const topics = ["tides", "volcanoes", "glaciers", "comets", "deserts", "coral"];

async function topicsDataset() {
  const items = topics.map((t, i) => ({ input_vars: { topic: t }, expected: i < 4 ? t : "zebra" }));
  const { body } = await call("POST", "/api/datasets", { name: "topics", items });
  return body.id as string;
}

describe("experiments", () => {
  it("runs every item as an ordinary run, scores it, and summarises what the runs say", async () => {
    const wf = await createWorkflow(chainOf([llmNode("a")]));
    const dataset = await topicsDataset();
    const exp = await runExperiment(wf, {
      dataset_id: dataset,
      concurrency: 2,
      scorers: [
        { type: "contains" },
        { type: "regex", value: "^Simulated gpt-4o-mini" },
        { type: "cost_under", cents: 1 },
        { type: "latency_under", ms: 60_000 },
        { type: "llm_judge", rubric: 'Mentions "Simulated".', threshold: 0.9 },
      ],
    });
    expect(exp).toMatchObject({ status: "succeeded", workflow_version: 1, concurrency: 2 });
    expect(exp.items.map((i: { passed: boolean }) => i.passed)).toEqual([true, true, true, true, false, false]);
    const failing = exp.items[4];
    expect(failing.scores.find((s: { scorer: string }) => s.scorer === "contains")).toMatchObject({
      pass: false,
      reason: 'does not contain "zebra"',
    });
    // The judge (the simulator grading) sees the expected answer too: "zebra" is missing.
    expect(failing.scores.find((s: { scorer: string }) => s.scorer === "llm_judge")).toMatchObject({
      pass: false,
      score: 0.5,
    });
    expect(exp.items[0].scores.find((s: { scorer: string }) => s.scorer === "llm_judge")).toMatchObject({
      pass: true,
      score: 1,
    });

    const runs = await stack.prisma.workflowRun.findMany({
      where: { id: { in: exp.items.map((i: { run_id: string }) => i.run_id) } },
    });
    expect(runs.map((r) => r.triggeredBy)).toEqual(Array(6).fill("experiment"));
    const cents = runs.reduce((a, r) => a + Number(r.totalCostCents), 0);
    const latencies = runs.map((r) => (r.finishedAt as Date).getTime() - (r.startedAt as Date).getTime() - r.waitedMs);
    expect(exp.summary).toMatchObject({
      items: 6,
      scored: 6,
      passed: 4,
      pass_rate: 4 / 6,
      total_tokens: runs.reduce((a, r) => a + r.totalTokens, 0),
      cost_complete: true,
      failed_runs: 0,
      p50_latency_ms: percentile(latencies, 50),
      p95_latency_ms: percentile(latencies, 95),
    });
    expect(Number(exp.summary.total_cost_cents)).toBeCloseTo(cents, 10);
    expect(exp.summary.scores).toMatchObject({ contains: 4 / 6, regex: 1, cost_under: 1, latency_under: 1 });
    // The judge's own spending is reported apart from the workflow's.
    expect(exp.summary.judge_tokens).toBeGreaterThan(0);
    expect(Number(exp.summary.judge_cost_cents)).toBeGreaterThan(0);
    const judgeCalls = stack.sim.calls.filter((c) => c.prompt?.startsWith("<rubric>"));
    expect(judgeCalls).toHaveLength(6);
  });

  it("scores JSON outputs: exact, json_schema and numeric, on a chosen node", async () => {
    const wf = await createWorkflow({
      version: "1",
      entry: "parse",
      nodes: [
        {
          id: "parse",
          type: "tool",
          name: "Transform",
          config: { operation: "json.parse", value: "{{input.payload}}" },
        },
      ],
      edges: [],
    });
    const { body: ds } = await call("POST", "/api/datasets", {
      name: "json",
      items: [
        { input_vars: { payload: '{"n": 42}' }, expected: { n: 42 } },
        { input_vars: { payload: '{"n": 41.5}' }, expected: { n: 42 } },
        { input_vars: { payload: '{"m": 1}' }, expected: { n: 1 } },
      ],
    });
    const exp = await runExperiment(wf, {
      dataset_id: ds.id,
      scorers: [
        { type: "exact", node: "parse" },
        { type: "json_schema", schema: { type: "object", required: ["n"], properties: { n: { type: "number" } } } },
        { type: "numeric", value: 42, tolerance: 0.5 },
      ],
    });
    const verdicts = exp.items.map((i: { scores: { pass: boolean }[] }) => i.scores.map((s) => s.pass));
    expect(verdicts).toEqual([
      [true, true, true],
      [false, true, true],
      [false, false, false],
    ]);
    expect(exp.items[2].scores[1].reason).toMatch(/must have required property 'n'/);
    expect(exp.items[0].output).toEqual({ n: 42 });
  });

  it("a failed run scores as a failure with its error as reason", async () => {
    const wf = await createWorkflow(chainOf([llmNode("a", { fault: "status=400;count=9" })]));
    const { body: ds } = await call("POST", "/api/datasets", {
      name: "f",
      items: [{ input_vars: { topic: "x" }, expected: "x" }],
    });
    const exp = await runExperiment(wf, { dataset_id: ds.id, scorers: [{ type: "contains" }] });
    expect(exp.items[0]).toMatchObject({ status: "failed", passed: false });
    expect(exp.items[0].scores[0].reason).toMatch(/^the run failed: /);
    expect(exp.summary.failed_runs).toBe(1);
  });

  it("compares two experiments item by item and lists the regression a prompt change made", async () => {
    const wf = await createWorkflow(chainOf([llmNode("a")]));
    const dataset = await topicsDataset();
    const before = await runExperiment(wf, { dataset_id: dataset, scorers: [{ type: "contains" }] });
    // The simulator's answer quotes the prompt's first twelve words: a long preamble pushes the topic out.
    const longPrompt = "Please write a short and friendly paragraph for our readers about this: {{input.topic}}";
    const edited = chainOf([llmNode("a", { prompt: longPrompt })]);
    expect((await call("PUT", `/api/workflows/${wf}`, { graph_json: edited })).status).toBe(200);
    const after = await runExperiment(wf, { dataset_id: dataset, scorers: [{ type: "contains" }] });
    expect(after.workflow_version).toBe(2);

    const { status, body } = await call("GET", `/api/experiments/${after.id}/compare?against=${before.id}`);
    expect(status).toBe(200);
    expect(body.regressions).toHaveLength(4);
    expect(body.fixes).toEqual([]);
    expect(body.summary.pass_rate).toEqual([4 / 6, 0]);
    expect(body.summary.pass_rate_delta).toBeCloseTo(-4 / 6);
    const first = body.items.find((i: { position: number }) => i.position === 0);
    expect(first).toMatchObject({
      change: "regression",
      passed: [true, false],
      output_changed: true,
      score_deltas: { contains: -1 },
    });
    expect(body.items.find((i: { position: number }) => i.position === 5).change).toBe("same");

    const listed = await call("GET", `/api/workflows/${wf}/experiments`);
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([after.id, before.id]);
    expect((await call("GET", `/api/experiments/${after.id}/compare`)).status).toBe(400);
  });

  it("cancel stops the items not started and the runs in flight", async () => {
    const wf = await createWorkflow(
      chainOf([llmNode("a"), llmNode("b", {}, { after: "a" }), llmNode("c", {}, { after: "b" })]),
    );
    const items = Array.from({ length: 30 }, (_, i) => ({ input_vars: { topic: `slow ${i}` } }));
    const { body: ds } = await call("POST", "/api/datasets", { name: "many", items });
    const started = await call("POST", `/api/workflows/${wf}/experiments`, {
      dataset_id: ds.id,
      concurrency: 2,
      scorers: [{ type: "regex", value: "." }],
    });
    const id = started.body.experimentId;
    for (;;) {
      const { body } = await call("GET", `/api/experiments/${id}`);
      if (body.summary.scored >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const canceled = await call("POST", `/api/experiments/${id}/cancel`);
    expect(canceled.status).toBe(202);
    expect(canceled.body.status).toBe("canceled");
    expect((await call("POST", `/api/experiments/${id}/cancel`)).status).toBe(409);
    await new Promise((r) => setTimeout(r, 500));
    const { body } = await call("GET", `/api/experiments/${id}`);
    const runCount = body.items.filter((i: { run_id: string | null }) => i.run_id).length;
    expect(runCount).toBeLessThan(30);
    expect(body.items.filter((i: { status: string }) => i.status === "canceled").length).toBeGreaterThan(0);
    expect(await stack.prisma.workflowRun.count({ where: { workflowId: wf } })).toBe(runCount);
    expect(
      await stack.prisma.workflowRun.count({ where: { workflowId: wf, status: { in: ["queued", "running"] } } }),
    ).toBe(0);
  });

  it("refuses what cannot run: unknown dataset, empty dataset, bad scorers, unknown version", async () => {
    const wf = await createWorkflow(chainOf([llmNode("a")]));
    const { body: empty } = await call("POST", "/api/datasets", { name: "empty" });
    const post = (body: object) => call("POST", `/api/workflows/${wf}/experiments`, body);
    const scorers = [{ type: "contains" }];
    expect((await post({ dataset_id: "00000000-0000-4000-8000-000000000000", scorers })).status).toBe(404);
    const emptied = await post({ dataset_id: empty.id, scorers });
    expect(emptied.status).toBe(422);
    expect(emptied.body.error.issues[0].path).toBe("dataset_id");
    const badType = await post({ dataset_id: empty.id, scorers: [{ type: "vibes" }] });
    expect(badType.status).toBe(400);
    expect(badType.body.error.message).toMatch(/scorers\.0\.type: expected type to be one of exact/);
    const badRegex = await post({ dataset_id: empty.id, scorers: [{ type: "regex", value: "(" }] });
    expect(badRegex.body.error.message).toMatch(/scorers\.0\.value: invalid regex/);
    const dataset = await topicsDataset();
    const badNode = await post({
      dataset_id: dataset,
      scorers: [
        { type: "contains", node: "nope" },
        { type: "llm_judge", rubric: "r", provider: "nobody" },
      ],
    });
    expect(badNode.status).toBe(422);
    expect(badNode.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      "scorers[0].node",
      "scorers[1].provider",
    ]);
    const badVersion = await post({ dataset_id: dataset, version: 7, scorers });
    expect(badVersion.status).toBe(422);
    expect(badVersion.body.error.issues[0]).toMatchObject({ path: "version" });
    expect((await call("GET", "/api/experiments/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});
