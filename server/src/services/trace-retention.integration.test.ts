/**
 * Trace retention against real PostgreSQL: old runs lose their events (archived first to JSONL when
 * asked), in batches; their rows, steps and totals stay; recent and unfinished runs are untouched.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishedRun, restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";
import { jsonlArchive } from "../trace/archive.ts";
import { pruneTraces } from "./trace-retention.ts";

let stack: Stack;
let dir: string;
const call = restClient(() => stack.url);

beforeAll(async () => {
  stack = await startStack({ latencyMs: 0 });
  dir = await mkdtemp(path.join(tmpdir(), "flowtrace-archive-"));
});
afterAll(async () => {
  await stack.close();
  await rm(dir, { recursive: true, force: true });
});

async function runs(n: number) {
  const wf = await call("POST", "/api/workflows", {
    name: "retention",
    graph_json: chainOf([llmNode("a"), llmNode("b", {}, { after: "a" })]),
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const started = await call("POST", `/api/workflows/${wf.body.id}/runs`, { input_vars: { topic: `t${i}` } });
    ids.push((await finishedRun(call, started.body.runId)).id);
  }
  return ids;
}

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

describe("trace retention", () => {
  it("archives then deletes the events of runs past the limit, a batch at a time; the runs stay", async () => {
    const [old1, old2, old3, recent] = await runs(4);
    for (const id of [old1, old2, old3]) {
      await stack.prisma.workflowRun.update({ where: { id: id as string }, data: { finishedAt: daysAgo(40) } });
    }
    const before = await call("GET", `/api/runs/${old1}`);
    const eventsBefore = await stack.prisma.traceEvent.findMany({
      where: { runId: old1 as string },
      orderBy: { seq: "asc" },
    });
    expect(eventsBefore.length).toBeGreaterThan(5);

    const result = await pruneTraces({ prisma: stack.prisma }, { days: 30, archive: jsonlArchive(dir), batchSize: 2 });
    expect(result.runs).toBe(3);
    expect(result.archived).toHaveLength(3);
    for (const id of [old1, old2, old3])
      expect(await stack.prisma.traceEvent.count({ where: { runId: id as string } })).toBe(0);
    expect(await stack.prisma.traceEvent.count({ where: { runId: recent as string } })).toBeGreaterThan(0);

    const file = path.join(dir, daysAgo(40).toISOString().slice(0, 10), `${old1}.jsonl`);
    const lines = (await readFile(file, "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual(eventsBefore.map((e) => e.seq));
    expect(lines[0]).toMatchObject({ run_id: old1, kind: "run.started" });
    expect(lines.at(-1)?.kind).toBe("run.finished");
    expect((await readdir(path.dirname(file))).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const after = await call("GET", `/api/runs/${old1}`);
    expect(after.body.trace_pruned_at).not.toBeNull();
    const { trace_pruned_at: _a, ...kept } = after.body;
    const { trace_pruned_at: _b, ...was } = before.body;
    expect(kept).toEqual(was);
    expect((await call("GET", `/api/runs/${old1}/trace`)).body.events).toEqual([]);
    expect((await pruneTraces({ prisma: stack.prisma }, { days: 30 })).runs).toBe(0);
  });

  it("leaves unfinished runs alone, is off at 0 days, and stops at maxRuns", async () => {
    const [a, b] = await runs(2);
    await stack.prisma.workflowRun.updateMany({
      where: { id: { in: [a, b] as string[] } },
      data: { finishedAt: daysAgo(10) },
    });
    await stack.prisma.workflowRun.update({ where: { id: b as string }, data: { status: "running" } });
    expect((await pruneTraces({ prisma: stack.prisma }, { days: 0 })).runs).toBe(0);
    const pruned = await pruneTraces({ prisma: stack.prisma }, { days: 5, maxRuns: 1 });
    expect(pruned.runs).toBe(1);
    expect(await stack.prisma.traceEvent.count({ where: { runId: a as string } })).toBe(0);
    expect(await stack.prisma.traceEvent.count({ where: { runId: b as string } })).toBeGreaterThan(0);
  });
});
