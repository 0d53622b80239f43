import { describe, expect, it } from "vitest";
import {
  formatCents,
  formatStepCost,
  formatTokenCount,
  formatTotalCost,
  isEstimated,
  sumCents,
  totalsSoFar,
} from "./format.ts";

describe("honest figures", () => {
  it("shows a total with unpriced steps as a lower bound, never a bare figure", () => {
    expect(formatTotalCost("0.21", true, 0)).toBe(formatCents("0.21"));
    expect(formatTotalCost("0.21", false, 1)).toBe("≥ $0.00210 (1 step unpriced)");
    expect(formatTotalCost("0", false, 2)).toBe("≥ $0 (2 steps unpriced)");
  });

  it("says unknown for a finished LLM step without a price, never $0", () => {
    expect(formatStepCost({ costCents: null, status: "succeeded", nodeType: "llm" })).toBe("unknown");
    expect(formatStepCost({ costCents: null, status: "skipped", nodeType: "llm" })).toBe("—");
    expect(formatStepCost({ costCents: "0", status: "succeeded", nodeType: "tool" })).toBe("$0");
    expect(formatStepCost(undefined)).toBe("—");
  });

  it("marks estimated token counts with ~", () => {
    expect(formatTokenCount(123, true)).toBe("~123");
    expect(formatTokenCount(1234, false)).toBe("1,234");
    expect(formatTokenCount(null, true)).toBe("—");
    expect(isEstimated([{ usageSource: "provider" }, { usageSource: "estimated" }])).toBe(true);
    expect(isEstimated([{ usageSource: "provider" }])).toBe(false);
  });
});

describe("totals of a run still going", () => {
  it("sums finished steps exactly and counts the unpriced ones", () => {
    expect(sumCents(["0.1", "0.2"])).toBe("0.3");
    expect(sumCents(["0.000000000001", "12"])).toBe("12.000000000001");
    expect(sumCents([])).toBe("0");
    const steps = [
      { nodeType: "llm", status: "succeeded", tokensInput: 10, tokensOutput: 5, costCents: "0.0042" },
      { nodeType: "llm", status: "succeeded", tokensInput: 7, tokensOutput: 3, costCents: null },
      { nodeType: "tool", status: "succeeded", tokensInput: 0, tokensOutput: 0, costCents: "0" },
      { nodeType: "llm", status: "running", tokensInput: 0, tokensOutput: 0, costCents: null },
    ];
    expect(totalsSoFar(steps)).toEqual({
      totalTokens: 25,
      totalCostCents: "0.0042",
      costComplete: false,
      unpricedSteps: 1,
    });
  });
});
