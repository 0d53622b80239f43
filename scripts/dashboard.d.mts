/** Types for scripts/dashboard.mjs (a plain build script, imported by TypeScript tests). */
export function newestSource(root: string): number;
export function dashboardStale(root: string): string | null;
export function buildDashboard(root: string, options?: { logLevel?: string; quiet?: boolean }): Promise<void>;
