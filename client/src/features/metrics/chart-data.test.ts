import { describe, expect, it } from "vitest";
import { bucketLabel, costRows, type NodeRow, percent, sortNodes } from "./chart-data.ts";

const node = (nodeId: string, p95: number | null, cost: string | null) =>
  ({ nodeId, p95LatencyMs: p95, meanCostCents: cost, runs: 1, failureRate: 0 }) as unknown as NodeRow;

describe("metrics chart data", () => {
  it("labels hours and days in UTC", () => {
    expect(bucketLabel("2026-12-06T14:00:00.000Z", "hour")).toBe("14:00");
    expect(bucketLabel("2026-12-06T00:00:00.000Z", "day")).toBe("Dec 6");
  });

  it("puts each model's cost in its bucket, empty buckets kept", () => {
    const m = {
      bucket: "day",
      series: [{ start: "2026-12-05T00:00:00.000Z" }, { start: "2026-12-06T00:00:00.000Z" }],
      costByModel: [
        { start: "2026-12-06T00:00:00.000Z", model: "openai/gpt-4o-mini", costCents: "12.5" },
        { start: "2026-12-06T00:00:00.000Z", model: "anthropic/haiku", costCents: "1" },
      ],
    } as never;
    const { rows, models } = costRows(m);
    expect(models).toEqual(["anthropic/haiku", "openai/gpt-4o-mini"]);
    expect(rows).toEqual([
      { label: "Dec 5" },
      { label: "Dec 6", "openai/gpt-4o-mini": 0.125, "anthropic/haiku": 0.01 },
    ]);
  });

  it("sorts nodes with unknowns last in either direction", () => {
    const nodes = [node("a", 10, null), node("b", null, "2"), node("c", 30, "1")];
    expect(sortNodes(nodes, "p95LatencyMs", true).map((n) => n.nodeId)).toEqual(["c", "a", "b"]);
    expect(sortNodes(nodes, "p95LatencyMs", false).map((n) => n.nodeId)).toEqual(["a", "c", "b"]);
    expect(sortNodes(nodes, "meanCostCents", true).map((n) => n.nodeId)).toEqual(["b", "c", "a"]);
  });

  it("shows a rate of nothing as a dash", () => {
    expect(percent(null)).toBe("—");
    expect(percent(0.25)).toBe("25%");
    expect(percent(0.034)).toBe("3.4%");
  });
});
