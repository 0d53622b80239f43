import { describe, expect, it } from "vitest";
import { Cents } from "../domain/pricing/money.ts";
import { LimitExceededError, RunBudget } from "./budget.ts";

const c = (s: string) => Cents.parse(s);

describe("RunBudget reservations", () => {
  it("holds each call's worst case, so calls in flight together cannot overshoot", () => {
    const budget = new RunBudget(10_000, c("0.03"));
    const first = budget.reserve(500, c("0.0125"));
    budget.reserve(500, c("0.0125"));
    // 0.025 held: a third worst case of 0.0125 does not fit beside them.
    const refused = (() => {
      try {
        budget.reserve(500, c("0.0125"));
      } catch (e) {
        return e as LimitExceededError;
      }
    })();
    expect(refused).toBeInstanceOf(LimitExceededError);
    expect(refused?.summary).toBe(
      "limit.cost: limits.maxCostCents 0.03 cents: 0 spent and 0.025 reserved by calls in flight; the next call may cost up to 0.0125",
    );
    // The first settles at its real cost: the room it did not use comes back.
    budget.settle(first, 120, c("0.004"));
    expect(budget.costUsed.toString()).toBe("0.004");
    expect(() => budget.reserve(500, c("0.0125"))).not.toThrow();
  });

  it("gives a failed call's hold back and names the token budget when tokens run out", () => {
    const budget = new RunBudget(1_000, null);
    const held = budget.reserve(800, null);
    expect(() => budget.reserve(300, null)).toThrow(
      "limits.maxTokens 1,000: 0 used and 800 reserved by calls in flight; the next call may need up to 300",
    );
    budget.release(held);
    expect(() => budget.reserve(300, null)).not.toThrow();
    expect(budget.tokensUsed).toBe(0);
  });

  it("books what a settled call used and stops the run past the budget", () => {
    const budget = new RunBudget(100, c("1"));
    const held = budget.reserve(50, c("0.5"));
    expect(() => budget.settle(held, 150, c("0.1"))).toThrow(LimitExceededError);
    expect(budget.tokensUsed).toBe(150);
  });
});
