/** Display helpers. Money arrives as exact decimal strings of US cents. */
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
