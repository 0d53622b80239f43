import { describe, expect, it } from "vitest";
import { formatCents, formatStepCost, formatTokenCount, formatTotalCost, isEstimated } from "./format.ts";

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
