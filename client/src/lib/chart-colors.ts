/** The dashboard's chart series colours: one list for every chart (legible in light and dark mode). */
export const SERIES_COLORS: readonly string[] = [
  "#2563eb",
  "#16a34a",
  "#d97706",
  "#9333ea",
  "#dc2626",
  "#0891b2",
  "#4d7c0f",
  "#be185d",
];

/** The hues run statuses use (green succeeded, red failed): left out where a chart shows statuses too. */
const STATUS_HUES = new Set(["#16a34a", "#dc2626"]);
export const NON_STATUS_COLORS: readonly string[] = SERIES_COLORS.filter((c) => !STATUS_HUES.has(c));

/** The colour of the i-th series, cycling through the palette. */
export function seriesColor(i: number, palette: readonly string[] = SERIES_COLORS): string {
  return palette[i % palette.length] as string;
}
