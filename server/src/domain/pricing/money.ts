/**
 * Exact money arithmetic for costs. Amounts are US cents held as BigInt multiples of 10⁻¹² cent
 * (the database columns are NUMERIC(24,12)), so sums and roll-ups never suffer float error and
 * a negative amount cannot be produced by the cost formulas.
 */
export const CENT_SCALE = 12;
const SCALE = 10n ** BigInt(CENT_SCALE);

export class Cents {
  private constructor(readonly units: bigint) {}

  static readonly ZERO = new Cents(0n);

  static fromUnits(units: bigint): Cents {
    return new Cents(units);
  }

  /** Parse a decimal string such as "0.0123" (cents). At most 12 decimals. */
  static parse(text: string): Cents {
    const m = /^(-)?(\d+)(?:\.(\d{1,12}))?$/.exec(text.trim());
    if (!m) throw new RangeError(`not a decimal amount of cents: ${JSON.stringify(text)}`);
    const [, sign, whole = "0", frac = ""] = m;
    const units = BigInt(whole) * SCALE + BigInt(frac.padEnd(CENT_SCALE, "0"));
    return new Cents(sign ? -units : units);
  }

  add(other: Cents): Cents {
    return new Cents(this.units + other.units);
  }

  negate(): Cents {
    return new Cents(-this.units);
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  compare(other: Cents): number {
    return this.units < other.units ? -1 : this.units > other.units ? 1 : 0;
  }

  /** Canonical decimal string without trailing zeros ("0.0123", "12", "0"). */
  toString(): string {
    const negative = this.units < 0n;
    const abs = negative ? -this.units : this.units;
    const whole = abs / SCALE;
    const frac = (abs % SCALE).toString().padStart(CENT_SCALE, "0").replace(/0+$/, "");
    return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
  }

  /** Approximate number, for display only. */
  toNumber(): number {
    return Number(this.toString());
  }

  static sum(values: Iterable<Cents>): Cents {
    let total = 0n;
    for (const v of values) total += v.units;
    return new Cents(total);
  }
}

/** A stored decimal amount of cents as the API writes it: its exact digits, and "0" for any zero. */
export function centsText(d: { toString(): string }): string {
  return Number(d.toString()) === 0 ? "0" : d.toString();
}
