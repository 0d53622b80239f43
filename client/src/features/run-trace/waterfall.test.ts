import { describe, expect, it } from "vitest";
import type { WorkflowDoc } from "../workflow-editor/graph.ts";
import { buildRunView, type TraceEventView } from "./model.ts";
import { costByModel, edgeStates, slowestPath } from "./run-figures.ts";
import { axisTicks, buildWaterfall } from "./waterfall.ts";

const T0 = 1_700_000_000_000;
let seq = 0;
const at = (
  ms: number,
  kind: string,
  stepId: string | null,
  payload: Record<string, unknown> = {},
): TraceEventView => ({
  seq: ++seq,
  kind,
  ts: new Date(T0 + ms).toISOString(),
  stepId,
  payload,
});
const llm = (provider: string, model: string) => ({ provider, model });

/** a (retried at OpenAI, then answered by Anthropic) → router r → b taken, c not taken. */
function events(): TraceEventView[] {
  seq = 0;
  return [
    at(0, "run.started", null, { nodes: [] }),
    at(10, "step.started", "sa", { nodeId: "a" }),
    at(12, "llm.request", "sa", llm("openai", "gpt-4o-mini")),
    at(112, "retry", "sa", { ...llm("openai", "gpt-4o-mini"), attempt: 1, message: "503", willRetry: false }),
    at(115, "fallback", "sa", {
      from: llm("openai", "gpt-4o-mini"),
      to: llm("anthropic", "haiku"),
      cause: { kind: "server", message: "503" },
    }),
    at(116, "llm.request", "sa", llm("anthropic", "haiku")),
    at(316, "llm.response", "sa", { ...llm("anthropic", "haiku"), costCents: "0.25", usage: {}, latencyMs: 200 }),
    at(320, "step.finished", "sa", {
      nodeId: "a",
      latencyMs: 310,
      costCents: "0.25",
      tokensInput: 10,
      tokensOutput: 5,
      activeEdges: [0],
    }),
    at(321, "step.started", "sr", { nodeId: "r" }),
    at(322, "router.branch", "sr", { branch: "b" }),
    at(323, "step.finished", "sr", { nodeId: "r", latencyMs: 2, activeEdges: [1] }),
    at(330, "step.started", "sb", { nodeId: "b" }),
    at(331, "cache.hit", "sb", { key: "k", savedCostCents: "0.1" }),
    at(333, "step.finished", "sb", { nodeId: "b", latencyMs: 3, cached: true, costCents: "0", activeEdges: [] }),
    at(334, "step.skipped", "sc", { nodeId: "c" }),
    at(340, "run.finished", null, { status: "succeeded" }),
  ];
}

const doc = {
  version: "1",
  entry: "a",
  nodes: ["a", "r", "b", "c"].map((id) => ({ id, type: "llm", name: id, config: {} })),
  edges: [
    { from: "a", to: "r" },
    { from: "r", to: "b", when: "branch == 'b'" },
    { from: "r", to: "c", when: "branch == 'c'" },
  ],
} as unknown as WorkflowDoc;

describe("waterfall", () => {
  it("draws each step from start to end, its attempts nested (the fallback marked), and cache hits", () => {
    const list = events();
    const w = buildWaterfall(list, buildRunView([], list));
    expect(w.end).toBe(340);
    const a = w.rows.find((r) => r.nodeId === "a");
    expect(a).toMatchObject({ start: 10, end: 320, latencyMs: 310, tokens: 15, costCents: "0.25", state: "succeeded" });
    expect(a?.attempts).toEqual([
      { start: 12, end: 112, label: "openai/gpt-4o-mini", ok: false, fallback: false, error: "503" },
      { start: 116, end: 316, label: "anthropic/haiku", ok: true, fallback: true },
    ]);
    expect(w.rows.find((r) => r.nodeId === "b")).toMatchObject({ marker: "cache", state: "cached", end: 333 });
    expect(w.rows.map((r) => r.nodeId)).toEqual(["a", "r", "b", "c"]);
  });

  it("grows a live run's open bars up to now, and draws approval waits", () => {
    seq = 0;
    const list = [
      at(0, "run.started", null),
      at(5, "step.started", "sx", { nodeId: "x" }),
      at(6, "approval.requested", "sx", { nodeId: "x", message: "ok?", inputs: {}, deadline: null }),
    ];
    const w = buildWaterfall(list, buildRunView([], list), T0 + 1000);
    expect(w.end).toBe(1000);
    expect(w.rows[0]).toMatchObject({ start: 5, end: null, waits: [{ start: 6, end: null }] });
  });

  it("ticks at round steps", () => {
    expect(axisTicks(340)).toEqual([0, 100, 200, 300]);
    expect(axisTicks(12_000, 6)).toEqual([0, 2000, 4000, 6000, 8000, 10000, 12000]);
  });
});

describe("run figures", () => {
  it("knows the taken edges, the slowest path and the cost by model", () => {
    const list = events();
    const view = buildRunView([], list);
    expect(edgeStates(doc, view)).toEqual(["taken", "taken", "not-taken"]);
    const path = slowestPath(doc, view);
    expect([...path.nodes].sort()).toEqual(["a", "b", "r"]);
    expect([...path.edges].sort()).toEqual([0, 1]);
    expect(costByModel(list)).toEqual([{ model: "anthropic/haiku", cents: "0.25", calls: 1, unpriced: 0 }]);
  });
});

describe("an agent step in the waterfall", () => {
  it("nests each iteration's model call and each parallel tool call as its own bar", () => {
    seq = 0;
    const model = { provider: "openai", model: "gpt-4o-mini" };
    const trace = [
      at(0, "run.started", null, { nodes: [] }),
      at(5, "step.started", "sg", { nodeId: "g" }),
      at(10, "llm.request", "sg", { ...model, iteration: 1 }),
      at(50, "llm.response", "sg", { ...model, iteration: 1, usage: {}, costCents: "0.1" }),
      at(52, "tool.request", "sg", { tool: "http.fetch", name: "http_fetch", iteration: 1, toolCallId: "c1" }),
      at(53, "tool.request", "sg", { tool: "transform", name: "transform", iteration: 1, toolCallId: "c2" }),
      at(60, "tool.response", "sg", { tool: "transform", iteration: 1, toolCallId: "c2", output: "X" }),
      at(90, "tool.response", "sg", { tool: "http.fetch", iteration: 1, toolCallId: "c1", output: {}, isError: true }),
      at(95, "llm.request", "sg", { ...model, iteration: 2 }),
      at(130, "llm.response", "sg", { ...model, iteration: 2, usage: {}, costCents: "0.1" }),
      at(131, "step.finished", "sg", { nodeId: "g", latencyMs: 126 }),
      at(135, "run.finished", null, { status: "succeeded" }),
    ];
    const w = buildWaterfall(trace, buildRunView([], trace));
    const bars = w.rows[0]?.attempts.map((a) => [a.label, a.start, a.end, a.ok, a.fallback]);
    expect(bars).toEqual([
      ["openai/gpt-4o-mini · iteration 1", 10, 50, true, false],
      ["http_fetch · iteration 1", 52, 90, false, false],
      ["transform · iteration 1", 53, 60, true, false],
      ["openai/gpt-4o-mini · iteration 2", 95, 130, true, false],
    ]);
  });
});
