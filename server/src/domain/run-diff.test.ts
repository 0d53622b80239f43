import { describe, expect, it } from "vitest";
import { type DiffRun, type DiffStep, diffRuns } from "./run-diff.ts";

const step = (nodeId: string, over: Partial<DiffStep> = {}): DiffStep => ({
  nodeId,
  nodeType: "llm",
  status: "succeeded",
  output: `${nodeId} says hi\nbye`,
  tokens: 10,
  costCents: "0.01",
  latencyMs: 100,
  reused: false,
  ...over,
});
const run = (id: string, steps: DiffStep[], configs: Record<string, unknown> = {}): DiffRun => ({
  id,
  status: "succeeded",
  document: { nodes: steps.map((s) => ({ id: s.nodeId, config: configs[s.nodeId] ?? { model: "m" } })) },
  steps,
});

describe("run diff", () => {
  it("pairs each step [against, this run]: output line diff, config paths, branch, figures", () => {
    const a = run("a", [
      step("x"),
      step("r", { nodeType: "router", output: "long", tokens: 0, costCents: "0" }),
      step("y"),
    ]);
    const b = run(
      "b",
      [
        step("x", { reused: true, costCents: "0", tokens: 0 }),
        step("r", { nodeType: "router", output: "short", tokens: 0, costCents: "0" }),
        step("y", { output: "y says hello\nbye", costCents: null }),
        step("z"),
      ],
      { y: { model: "bigger" } },
    );
    const d = diffRuns(a, b);
    const [x, r, y, z] = d.steps;
    expect(x).toMatchObject({
      presence: "both",
      outputChanged: false,
      reused: [false, true],
      costCents: ["0.01", "0"],
    });
    expect(r?.branch).toEqual(["long", "short"]);
    expect(y).toMatchObject({
      outputChanged: true,
      configChanged: true,
      configDiff: [{ path: "model", old: "m", new: "bigger" }],
      outputDiff: {
        kind: "text",
        lines: [
          { op: "removed", text: "y says hi\n" },
          { op: "added", text: "y says hello\n" },
          { op: "same", text: "bye" },
        ],
      },
    });
    expect(z).toMatchObject({ presence: "added", status: [null, "succeeded"], tokens: [null, 10] });
    expect(d.totals).toEqual({
      status: ["succeeded", "succeeded"],
      tokens: [20, 20],
      costCents: ["0.02", "0.01"],
      costComplete: [true, false],
      latencyMs: [300, 400],
    });
  });

  it("a step only in the run compared against is removed", () => {
    const d = diffRuns(run("a", [step("x"), step("gone")]), run("b", [step("x")]));
    expect(d.steps[1]).toMatchObject({ nodeId: "gone", presence: "removed", status: ["succeeded", null] });
  });
});
