/** Display helpers. Money arrives as exact decimal strings of US cents. */
import { callsModels } from "@flowtrace/contract/workflow";

export function formatCents(cents: string | null | undefined): string {
  if (cents === null || cents === undefined) return "—";
  const n = Number(cents);
  if (n === 0) return "$0";
  const usd = n / 100;
  // Enough decimals to show three significant digits of tiny amounts, never exponent notation.
  const digits = Math.min(12, Math.max(4, Math.ceil(-Math.log10(Math.abs(usd))) + 2));
  return `$${usd.toFixed(digits)}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatTokens(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toLocaleString("en-US");
}

/**
 * A run's (or any roll-up's) cost: a bare figure only when every step is priced; otherwise the
 * priced part as a lower bound and how many steps it leaves out ("≥ $0.0021 (1 step unpriced)").
 */
export function formatTotalCost(
  cents: string | null | undefined,
  costComplete: boolean,
  unpricedSteps: number,
): string {
  if (costComplete) return formatCents(cents);
  return `≥ ${formatCents(cents ?? "0")} (${unpricedSteps} step${unpricedSteps === 1 ? "" : "s"} unpriced)`;
}

/** A step's cost: "unknown" when its model has no price (never $0). */
export function formatStepCost(step: { costCents?: unknown; status?: string; nodeType?: string } | undefined): string {
  if (!step) return "—";
  if (step.costCents === null || step.costCents === undefined) {
    return step.status === "succeeded" && callsModels(step.nodeType) ? "unknown" : "—";
  }
  return formatCents(String(step.costCents));
}

/** Token counts FlowTrace counted itself (the provider reported none) carry a `~`: `~123`. */
export function formatTokenCount(n: number | null | undefined, estimated: boolean): string {
  const shown = formatTokens(n);
  return estimated && n !== null && n !== undefined ? `~${shown}` : shown;
}

export const ESTIMATED_TITLE =
  "Estimated: the provider reported no usage, so FlowTrace counted the tokens (prompt as sent, text as received) and priced them.";

export const isEstimated = (steps: readonly { usageSource?: string | null }[]) =>
  steps.some((s) => s.usageSource === "estimated");

/** Exact sum of decimal cent strings (never through floats): "0.1" + "0.2" = "0.3". */
export function sumCents(values: readonly string[]): string {
  const SCALE = 12;
  let units = 0n;
  for (const v of values) {
    const [whole = "0", frac = ""] = v.split(".");
    units += BigInt(whole) * 10n ** BigInt(SCALE) + BigInt(frac.padEnd(SCALE, "0").slice(0, SCALE));
  }
  const whole = units / 10n ** BigInt(SCALE);
  const frac = (units % 10n ** BigInt(SCALE)).toString().padStart(SCALE, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : `${whole}`;
}

interface StepFigures {
  nodeType: string;
  status: string;
  tokensInput: number;
  tokensOutput: number;
  costCents?: unknown;
}

/**
 * A run's totals while it is still going: the server rolls them up when the run ends, so until then
 * they are summed here from the steps that finished (and shown as "so far").
 */
export function totalsSoFar(steps: readonly StepFigures[]) {
  const done = steps.filter((s) => s.status === "succeeded");
  const unpricedSteps = done.filter(
    (s) => callsModels(s.nodeType) && (s.costCents === null || s.costCents === undefined),
  ).length;
  return {
    totalTokens: done.reduce((n, s) => n + s.tokensInput + s.tokensOutput, 0),
    totalCostCents: sumCents(done.flatMap((s) => (typeof s.costCents === "string" ? [s.costCents] : []))),
    costComplete: unpricedSteps === 0,
    unpricedSteps,
  };
}
