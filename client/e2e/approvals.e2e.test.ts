/**
 * Approvals in the browser: the seeded Draft → Approve → Publish / Revise demo waits at its gate,
 * the nav badge counts it, the run view's banner shows the message and inputs, and Approve resumes
 * the run live with only the approved branch.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let base: string;
let page: Page;
let consoleErrors: string[] = [];

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_SIMULATOR_LATENCY_MS: "100" }, { traceView: "timeline" });
  ({ base, page, consoleErrors } = harness);
}, 120_000);

afterAll(() => harness?.close());

describe("approvals in the dashboard", () => {
  it("a run waits, the banner appears, and Approve resumes it live down the approved branch", async () => {
    const list = (await (await fetch(`${base}/api/workflows`)).json()) as { items: { id: string; name: string }[] };
    const demo = list.items.find((w) => w.name === "Draft → Approve → Publish / Revise");
    expect(demo).toBeDefined();
    const started = await fetch(`${base}/api/workflows/${demo?.id}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input_vars: { topic: "our browser launch" } }),
    });
    const { runId } = (await started.json()) as { runId: string };
    await page.goto(`${base}/runs/${runId}`);
    const banner = page.getByRole("region", { name: "Approval at approve" });
    await banner.waitFor({ timeout: 20_000 });
    await banner.getByText("Publish this announcement?", { exact: false }).waitFor();
    await banner.getByText('"topic": "our browser launch"', { exact: false }).waitFor();
    await page.locator(".run-node.state-waiting").first().waitFor();
    await expect.poll(() => page.getByTestId("pending-count").textContent(), { timeout: 10_000 }).toBe("1");
    await page.screenshot({ path: `${SHOTS}/20-approval-waiting.png` });

    await page.getByRole("link", { name: /Approvals/ }).click();
    await page.getByRole("heading", { name: "Pending approvals" }).waitFor();
    await page.getByRole("cell", { name: "Draft → Approve → Publish / Revise" }).waitFor();
    await page.getByRole("link", { name: runId.slice(0, 8) }).click();

    await page.getByLabel("Comment (optional)").fill("looks good");
    await banner.getByRole("button", { name: "Approve", exact: true }).click();
    await page.locator('[data-kind="approval.resolved"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => banner.count()).toBe(0);
    const run = (await (await fetch(`${base}/api/runs/${runId}`)).json()) as {
      status: string;
      steps: { node_id: string; status: string }[];
    };
    expect(run.status).toBe("succeeded");
    expect(Object.fromEntries(run.steps.map((s) => [s.node_id, s.status]))).toMatchObject({
      approve: "succeeded",
      publish: "succeeded",
      revise: "skipped",
    });
    const gate = (await (await fetch(`${base}/api/runs/${runId}/steps/approve`)).json()) as { output: unknown };
    expect(gate.output).toMatchObject({ decision: "approved", comment: "looks good", decided_by: "dashboard" });
    await page.getByText("approve: approved by dashboard", { exact: false }).first().waitFor();
    await page.screenshot({ path: `${SHOTS}/21-approval-approved.png` });
    expect(consoleErrors).toEqual([]);
  });
});
