/** Per-run guardrails: token and cost budgets and the run deadline. */
import { Cents } from "../domain/pricing/money.ts";

export type LimitKind = "tokens" | "cost" | "timeout" | "nodes";

export class LimitExceededError extends Error {
  override readonly name = "LimitExceededError";
  constructor(
    readonly limit: LimitKind,
    message: string,
  ) {
    super(message);
  }
  /** The run's error_summary, e.g. `limit.tokens: 151,203 of 150,000 used`. */
  get summary(): string {
    return `limit.${this.limit}: ${this.message}`;
  }
}

const fmt = (n: number) => n.toLocaleString("en-US");

export class RunBudget {
  tokensUsed = 0;
  costUsed: Cents = Cents.ZERO;

  constructor(
    readonly maxTokens: number,
    readonly maxCostCents: Cents | null,
  ) {}

  /** Before a call: would `estimatedTokens` (prompt estimate + max output) overrun the budget? */
  checkBefore(estimatedTokens: number, estimatedCost: Cents | null) {
    if (this.tokensUsed + estimatedTokens > this.maxTokens) {
      throw new LimitExceededError(
        "tokens",
        `${fmt(this.tokensUsed)} of ${fmt(this.maxTokens)} used; the next call may need up to ${fmt(estimatedTokens)}`,
      );
    }
    if (this.maxCostCents && estimatedCost && this.costUsed.add(estimatedCost).compare(this.maxCostCents) > 0) {
      throw new LimitExceededError(
        "cost",
        `${this.costUsed.toString()} of ${this.maxCostCents.toString()} cents used; the next call may cost up to ${estimatedCost.toString()}`,
      );
    }
  }

  /** After a call: book what it really used, and stop the run if that went over. */
  book(tokens: number, cost: Cents | null) {
    this.tokensUsed += tokens;
    if (cost) this.costUsed = this.costUsed.add(cost);
    if (this.tokensUsed > this.maxTokens) {
      throw new LimitExceededError("tokens", `${fmt(this.tokensUsed)} of ${fmt(this.maxTokens)} used`);
    }
    if (this.maxCostCents && this.costUsed.compare(this.maxCostCents) > 0) {
      throw new LimitExceededError("cost", `${this.costUsed.toString()} of ${this.maxCostCents.toString()} cents used`);
    }
  }
}

/** A rough, deliberately generous token estimate for budget checks before a call (≈ 4 chars/token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5) + 8;
}
