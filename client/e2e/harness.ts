/** Shared by the browser tests: a real FlowTrace server on a per-file database, and headless Chromium. */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { type Browser, chromium, type Page } from "playwright-core";
import { createTestDatabase, type TestDatabase } from "../../server/test/helpers/db.ts";
import { freePort, type Proc, ROOT, startApi } from "../../server/test/helpers/process.ts";

export const SHOTS = `${ROOT}test-artifacts/screenshots`;

export interface Harness {
  base: string;
  /** The server's database (for seeding what the UI cannot make quickly). */
  dbUrl: string;
  page: Page;
  /** The page's console errors and uncaught exceptions, in order. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/**
 * `traceView`: the run view's tab this browser starts on (the choice is kept in localStorage);
 * tests written against the event timeline ask for "timeline".
 */
export async function startHarness(
  env: Record<string, string>,
  options: { traceView?: "waterfall" | "timeline" } = {},
): Promise<Harness> {
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
  if (!executablePath) throw new Error("Browser tests need Debian's chromium: apt-get install -y chromium");
  await mkdir(SHOTS, { recursive: true });
  const db: TestDatabase = await createTestDatabase();
  const port = await freePort();
  const server: Proc = startApi({ PORT: String(port), DATABASE_URL: db.url, ...env });
  await server.waitFor(/FlowTrace is ready at/);
  const browser: Browser = await chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (options.traceView) {
    await page.addInitScript((view) => localStorage.setItem("flowtrace.traceView", view), options.traceView);
  }
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  return {
    base: `http://127.0.0.1:${port}`,
    dbUrl: db.url,
    page,
    consoleErrors,
    async close() {
      await browser.close();
      await server.stop();
      await db.drop();
    },
  };
}

/**
 * axe-core's WCAG checks on the page as it is now: the serious and critical violations, each as
 * "rule: target, target" (an empty list passes).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: `${ROOT}node_modules/axe-core/axe.min.js` });
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[];
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
