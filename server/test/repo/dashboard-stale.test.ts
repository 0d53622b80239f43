/** `npm start` rebuilds the dashboard when its bundle is missing or older than any of its sources. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dashboardStale } from "../../../scripts/dashboard.mjs";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function file(root: string, path: string, at: number) {
  const full = join(root, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, "x");
  utimesSync(full, at / 1000, at / 1000);
}

describe("dashboardStale", () => {
  it("builds when missing, rebuilds when any source is newer, and leaves a current bundle alone", () => {
    const root = mkdtempSync(join(tmpdir(), "ft-stale-"));
    roots.push(root);
    const t0 = Date.UTC(2026, 0, 1);
    file(root, "client/src/main.tsx", t0);
    file(root, "client/src/features/run-trace/Timeline.tsx", t0);
    expect(dashboardStale(root)).toMatch(/first start/);

    file(root, "client/dist/index.html", t0 + 1_000);
    expect(dashboardStale(root)).toBeNull();

    file(root, "client/src/features/run-trace/Timeline.tsx", t0 + 2_000); // e.g. after a git pull
    expect(dashboardStale(root)).toMatch(/sources changed/);

    file(root, "client/dist/index.html", t0 + 3_000);
    expect(dashboardStale(root)).toBeNull();
    file(root, "client/index.html", t0 + 4_000);
    expect(dashboardStale(root)).toMatch(/sources changed/);
  });
});
