/** Per-run guardrails: token and cost budgets and the run deadline. */
import { Cents } from "../domain/pricing/money.ts";

export type LimitKind = "tokens" | "cost" | "timeout" | "nodes" | "project_budget";

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

/** What one call in flight holds of the budget until it settles. */
export interface Reservation {
  readonly tokens: number;
  readonly cost: Cents | null;
}

/**
 * A run's token and cost budgets. Each call reserves its worst case before it starts (prompt
 * estimate + the whole output allowance at the output rate) and settles to what it really used
 * afterwards, so steps running in parallel cannot each see room that only one of them has.
 */
export class RunBudget {
  tokensUsed = 0;
  costUsed: Cents = Cents.ZERO;
  private tokensReserved = 0;
  private costReserved: Cents = Cents.ZERO;

  constructor(
    readonly maxTokens: number,
    readonly maxCostCents: Cents | null,
  ) {}

  /** Before a call: hold its worst case, or refuse it when that would not fit beside what is spent and held. */
  reserve(tokens: number, cost: Cents | null): Reservation {
    if (this.tokensUsed + this.tokensReserved + tokens > this.maxTokens) {
      throw new LimitExceededError(
        "tokens",
        `limits.maxTokens ${fmt(this.maxTokens)}: ${fmt(this.tokensUsed)} used and ${fmt(this.tokensReserved)} reserved by calls in flight; the next call may need up to ${fmt(tokens)}`,
      );
    }
    const max = this.maxCostCents;
    if (max && cost && this.costUsed.add(this.costReserved).add(cost).compare(max) > 0) {
      throw new LimitExceededError(
        "cost",
        `limits.maxCostCents ${max.toString()} cents: ${this.costUsed.toString()} spent and ${this.costReserved.toString()} reserved by calls in flight; the next call may cost up to ${cost.toString()}`,
      );
    }
    this.tokensReserved += tokens;
    if (cost) this.costReserved = this.costReserved.add(cost);
    return { tokens, cost };
  }

  /** A call that failed: give its hold back (a refused or failed call is not billed). */
  release(reservation: Reservation) {
    this.tokensReserved -= reservation.tokens;
    if (reservation.cost) this.costReserved = this.costReserved.add(reservation.cost.negate());
  }

  /** After a call: give its hold back and book what it really used. */
  settle(reservation: Reservation, tokens: number, cost: Cents | null) {
    this.release(reservation);
    this.book(tokens, cost);
  }

  /** Book usage (a settled call, or one recorded before a crash), and stop the run if that went over. */
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
