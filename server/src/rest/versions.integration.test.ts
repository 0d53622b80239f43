/** Workflow versions over real HTTP: every create and changing save is a version; list, read, restore, diff. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ latencyMs: 5 });
});
afterAll(() => stack.close());

const call = restClient(() => stack.url);

const v1 = chainOf([llmNode("a", { system: "versions" }), llmNode("b", {}, { after: "a" })]);
const v2 = chainOf([llmNode("a", { system: "versions", model: "gpt-4o" }), llmNode("b", {}, { after: "a" })]);

describe("workflow versions", () => {
  it("numbers every create and every save that changes the document; a rename alone is no version", async () => {
    const { body: created } = await call("POST", "/api/workflows", { name: "ver", graph_json: v1 });
    const id = created.id;
    expect((await call("GET", `/api/workflows/${id}`)).body.version).toBe(1);
    expect((await call("PUT", `/api/workflows/${id}`, { name: "renamed" })).body.version).toBe(1);
    expect((await call("PUT", `/api/workflows/${id}`, { graph_json: v1 })).body.version).toBe(1);
    const saved = await call("PUT", `/api/workflows/${id}`, { graph_json: v2, message: "bigger model" });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);

    const list = await call("GET", `/api/workflows/${id}/versions`);
    expect(list.body.items).toEqual([
      { version: 2, created_at: expect.any(String), message: "bigger model" },
      { version: 1, created_at: expect.any(String), message: null },
    ]);
    const one = await call("GET", `/api/workflows/${id}/versions/1`);
    expect(one.body).toMatchObject({ version: 1, message: null, graph_json: v1 });

    const diff = await call("GET", `/api/workflows/${id}/versions/1/diff/2`);
    expect(diff.body).toMatchObject({
      from_version: 1,
      to_version: 2,
      nodes: {
        added: [],
        removed: [],
        changed: [{ id: "a", changes: [{ path: "config.model", old: "gpt-4o-mini", new: "gpt-4o" }] }],
      },
      edges: { added: [], removed: [] },
      settings: [],
    });

    const restored = await call("POST", `/api/workflows/${id}/versions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ version: 3, graph_json: v1 });
    expect((await call("GET", `/api/workflows/${id}/versions`)).body.items[0]).toMatchObject({
      version: 3,
      message: "restored version 1",
    });
  });

  it("records the version a run ran; the run keeps its snapshot after later saves", async () => {
    const { body: created } = await call("POST", "/api/workflows", { name: "ver-run", graph_json: v1 });
    await call("PUT", `/api/workflows/${created.id}`, { graph_json: v2 });
    const { body: started } = await call("POST", `/api/workflows/${created.id}/runs`, { input_vars: { topic: "x" } });
    await call("PUT", `/api/workflows/${created.id}`, { graph_json: v1 });
    const run = await call("GET", `/api/runs/${started.runId}`);
    expect(run.body.workflow_version).toBe(2);
    const stored = await stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: started.runId } });
    expect(stored.graphSnapshot).toEqual(v2);
  });

  it("answers 404 for a version that does not exist, and 422 for an invalid document", async () => {
    const { body: created } = await call("POST", "/api/workflows", { name: "ver-404", graph_json: v1 });
    for (const path of ["versions/9", "versions/0", "versions/abc", "versions/1/diff/7"]) {
      const r = await call("GET", `/api/workflows/${created.id}/${path}`);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    expect((await call("POST", `/api/workflows/${created.id}/versions/5/restore`)).status).toBe(404);
    expect((await call("GET", "/api/workflows/00000000-0000-4000-8000-000000000000/versions")).status).toBe(404);
    const bad = await call("PUT", `/api/workflows/${created.id}`, { graph_json: { nodes: [] }, message: "broken" });
    expect(bad.status).toBe(422);
    expect((await call("GET", `/api/workflows/${created.id}/versions`)).body.items).toHaveLength(1);
  });
});
