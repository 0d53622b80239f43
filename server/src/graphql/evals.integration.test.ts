/**
 * Datasets and experiments over GraphQL (real HTTP, PostgreSQL, the real SDKs against the
 * simulator): the same use cases and the same input schemas as the REST routes, typed results for
 * expected failures, and numbers that agree with REST's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ latencyMs: 2, concurrency: 4 });
});
afterAll(() => stack.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Answer = { data?: any; errors?: { message: string }[] };
async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const res = await fetch(`${stack.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

const DATASET_FIELDS =
  "id name description itemCount items(offset: $offset, limit: $limit) { nextOffset items { position inputVars expected metadata } }";
const INVALID = "... on InvalidRequestError { message issues { path message } }";
const ERRORS = `${INVALID} ... on NotFoundError { message }`;

async function createDataset(items: unknown[], name = "capitals") {
  const r = await gql(
    `mutation($name: String!, $items: JSON, $offset: Int, $limit: Int) {
      createDataset(name: $name, description: "a few", items: $items) { __typename ... on Dataset { ${DATASET_FIELDS} } ${INVALID} }
    }`,
    { name, items },
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return r.data.createDataset;
}

async function finished(id: string) {
  for (;;) {
    const r = await gql(
      `query($id: ID!) { experiment(id: $id) { id status workflowVersion summary { items scored passed passRate totalCostCents costComplete }
        items { position status passed runId scores { scorer pass } costCents } } }`,
      { id },
    );
    if (["succeeded", "failed", "canceled"].includes(r.data.experiment.status)) return r.data.experiment;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("datasets over GraphQL", () => {
  it("creates, pages, imports CSV (preview, then for real), adds a run, renames and deletes", async () => {
    const created = await createDataset([
      { input_vars: { topic: "France" }, expected: "Paris" },
      { input_vars: { topic: "Peru" } },
    ]);
    expect(created).toMatchObject({ __typename: "Dataset", name: "capitals", itemCount: 2 });
    const IMPORT = `mutation($id: ID!, $text: String!, $dry: Boolean) {
      importDatasetItems(datasetId: $id, format: CSV, text: $text, dryRun: $dry) {
        __typename ... on DatasetImport { count items issues { path message } dataset { itemCount } } ${ERRORS}
      }
    }`;
    const csv = "topic,expected\nJapan,Tokyo\nChile,Santiago\n";
    const preview = await gql(IMPORT, { id: created.id, text: csv, dry: true });
    expect(preview.data.importDatasetItems).toMatchObject({ count: 2, issues: [], dataset: null });
    const imported = await gql(IMPORT, { id: created.id, text: csv });
    expect(imported.data.importDatasetItems.dataset).toEqual({ itemCount: 4 });
    const bad = await gql(IMPORT, { id: created.id, text: "q,q\n1,2\n" });
    expect(bad.data.importDatasetItems).toEqual({
      __typename: "InvalidRequestError",
      message: expect.stringMatching(/bad row/),
      issues: [{ path: "row 1, column q", message: "the column name appears twice" }],
    });

    const page = await gql(`query($id: ID!, $offset: Int, $limit: Int) { dataset(id: $id) { ${DATASET_FIELDS} } }`, {
      id: created.id,
      offset: 1,
      limit: 2,
    });
    expect(page.data.dataset.items).toEqual({
      nextOffset: 3,
      items: [
        { position: 1, inputVars: { topic: "Peru" }, expected: null, metadata: null },
        { position: 2, inputVars: { topic: "Japan" }, expected: "Tokyo", metadata: null },
      ],
    });
    const rest = await restClient(() => stack.url)("GET", `/api/datasets/${created.id}?offset=1&limit=2`);
    expect(rest.body.next_offset).toBe(3);

    const renamed = await gql(
      `mutation($id: ID!) { updateDataset(id: $id, name: "capitals 2", description: null) { __typename ... on Dataset { name description itemCount } } }`,
      { id: created.id },
    );
    expect(renamed.data.updateDataset).toEqual({
      __typename: "Dataset",
      name: "capitals 2",
      description: null,
      itemCount: 4,
    });
    const listed = await gql("{ datasets { id } }");
    expect(listed.data.datasets.map((d: { id: string }) => d.id)).toContain(created.id);
    const deleted = await gql(`mutation($id: ID!) { deleteDataset(id: $id) { __typename ... on Deleted { id } } }`, {
      id: created.id,
    });
    expect(deleted.data.deleteDataset).toEqual({ __typename: "Deleted", id: created.id });
    expect((await gql(`query($id: ID!) { dataset(id: $id) { id } }`, { id: created.id })).data.dataset).toBeNull();
    expect((await gql(`{ dataset(id: "nope") { id } }`)).data.dataset).toBeNull();
  });

  it("refuses bad items with the REST schema's paths, and unknown ids with NotFoundError", async () => {
    const bad = await createDataset([{ input: {} }], "bad");
    expect(bad.__typename).toBe("InvalidRequestError");
    expect(bad.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "items[0]", message: "unknown key 'input'" })]),
    );
    const add = await gql(
      `mutation { addDatasetItems(datasetId: "00000000-0000-4000-8000-000000000000", items: [{input_vars: {}}]) { __typename ${ERRORS} } }`,
    );
    expect(add.data.addDatasetItems).toEqual({
      __typename: "NotFoundError",
      message: "dataset 00000000-0000-4000-8000-000000000000 does not exist",
    });
    const page = await gql(`query($id: ID!) { dataset(id: $id) { items(limit: 5000) { nextOffset } } }`, {
      id: (await createDataset([{ input_vars: { a: 1 } }], "paged")).id,
    });
    expect(page.errors?.[0]?.message).toMatch(/limit/);
  });
});

describe("experiments over GraphQL", () => {
  it("starts one, reads it as REST does, compares two, lists them on the workflow, and refuses a second cancel", async () => {
    const call = restClient(() => stack.url);
    const wf = (await call("POST", "/api/workflows", { name: "gql evals", graph_json: chainOf([llmNode("a")]) })).body
      .id;
    const dataset = await createDataset(
      ["tides", "moons", "comets"].map((topic) => ({ input_vars: { topic }, expected: topic })),
      "topics",
    );
    const START = `mutation($wf: ID!, $ds: ID!, $scorers: JSON!) {
      startExperiment(workflowId: $wf, datasetId: $ds, scorers: $scorers, concurrency: 2) {
        __typename ... on Experiment { id status } ${ERRORS} ... on ValidationError { message }
      }
    }`;
    const badScorer = await gql(START, { wf, ds: dataset.id, scorers: [{ type: "nope" }] });
    expect(badScorer.data.startExperiment.__typename).toBe("InvalidRequestError");
    expect(badScorer.data.startExperiment.issues[0].path).toBe("scorers[0].type");

    const first = await gql(START, { wf, ds: dataset.id, scorers: [{ type: "contains" }] });
    const before = await finished(first.data.startExperiment.id);
    expect(before.summary).toMatchObject({ items: 3, scored: 3, passed: 3, passRate: 1, costComplete: true });
    const viaRest = (await call("GET", `/api/experiments/${before.id}`)).body;
    expect(before.summary.totalCostCents).toBe(viaRest.summary.total_cost_cents);
    expect(before.items.map((i: { runId: string }) => i.runId)).toEqual(
      viaRest.items.map((i: { run_id: string }) => i.run_id),
    );

    const longPrompt = "Please write a short and friendly paragraph for our readers about this: {{input.topic}}";
    await call("PUT", `/api/workflows/${wf}`, { graph_json: chainOf([llmNode("a", { prompt: longPrompt })]) });
    const second = await gql(START, { wf, ds: dataset.id, scorers: [{ type: "contains" }] });
    const after = await finished(second.data.startExperiment.id);
    expect(after.workflowVersion).toBe(2);

    const compared = await gql(
      `query($id: ID!, $against: ID!) { experiment(id: $id) { comparison(against: $against) } }`,
      {
        id: after.id,
        against: before.id,
      },
    );
    expect(compared.data.experiment.comparison).toEqual(
      (await call("GET", `/api/experiments/${after.id}/compare?against=${before.id}`)).body,
    );
    expect(compared.data.experiment.comparison.regressions).toHaveLength(3);

    const listed = await gql(`query($id: ID!) { workflow(id: $id) { experiments { id } } }`, { id: wf });
    expect(listed.data.workflow.experiments.map((e: { id: string }) => e.id)).toEqual([after.id, before.id]);
    const cancel = await gql(
      `mutation($id: ID!) { cancelExperiment(id: $id) { __typename ... on ConflictError { message } } }`,
      {
        id: after.id,
      },
    );
    expect(cancel.data.cancelExperiment).toEqual({
      __typename: "ConflictError",
      message: `experiment ${after.id} already ended with status succeeded`,
    });
  });
});
