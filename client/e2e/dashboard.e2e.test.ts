/**
 * The dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core) against a real
 * FlowTrace server process (real PostgreSQL, in-process queue, the built-in provider simulator).
 * Screenshots land in test-artifacts/screenshots/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let base: string;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_SIMULATOR_LATENCY_MS: "400", FLOWTRACE_SEED_DEMO: "0" });
  ({ base, page } = harness);
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));
}, 120_000);

afterAll(() => harness?.close());

async function connectNodes(from: string, to: string) {
  const source = page.locator(`.react-flow__handle.source[data-nodeid="${from}"]`);
  const target = page.locator(`.react-flow__handle.target[data-nodeid="${to}"]`);
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  if (!a || !b) throw new Error("handles not visible");
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

describe("dashboard", () => {
  it("shows the empty workflows list", async () => {
    await page.goto(base);
    await page.getByText("No workflows yet.").waitFor();
    await page.screenshot({ path: `${SHOTS}/01-workflows-empty.png` });
  });

  it("builds a workflow from scratch, flags a bad edge, saves and runs it live, and inspects a step", async () => {
    await page.getByRole("button", { name: "Create your first workflow" }).click();
    await page.getByLabel("Workflow name").fill("Summarise and route");
    await page.getByRole("button", { name: "+ llm" }).click();
    // Configure the llm node: bind the run input.
    await page.getByRole("button", { name: "+ Add input" }).click();
    await page.getByLabel("Input text value").fill("{{input.topic}}");
    await page.getByRole("button", { name: "+ llm" }).click();
    await page.getByRole("button", { name: "Auto-layout" }).click();
    await connectNodes("llm_1", "llm_2");
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(1);

    // A bad edge condition is reported on the edge and in the list.
    await page.locator(".react-flow__edge").first().click({ force: true });
    await page.getByLabel("When").fill("branch == 'deep'");
    await page
      .getByTestId("issues")
      .getByText(/unknown identifier 'branch'/)
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/02-editor-validation.png` });
    await page.getByLabel("When").fill("");
    await page.getByTestId("valid").waitFor();

    // The second node reads the first one's output.
    await page.locator('.react-flow__node[data-id="llm_2"]').click();
    await page.getByRole("button", { name: "+ Add input" }).click();
    await page.getByLabel("Input text value").fill("{{node.llm_1.output}}");
    await page.getByTestId("valid").waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.screenshot({ path: `${SHOTS}/03-editor.png` });

    await page.getByRole("button", { name: "Run…" }).click();
    await page.getByLabel("topic").fill("quarterly revenue");
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/\/runs\//);
    // The timeline fills live while the run executes.
    await page.locator('[data-kind="llm.request"]').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/04-run-live.png` });
    await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 30_000 });
    await page.locator('.chip[data-status="succeeded"]').first().waitFor();
    expect(await page.getByTestId("total-tokens").textContent()).toMatch(/^[1-9][\d,]*$/);
    expect(await page.getByTestId("total-cost").textContent()).toMatch(/^\$\d/);

    await page.locator('[data-kind="llm.response"]').first().getByRole("button").click();
    const detail = page.getByTestId("step-detail");
    await detail.waitFor();
    expect(await detail.getByTestId("tokens-in").textContent()).toMatch(/^[1-9]/);
    expect(await detail.getByTestId("tokens-out").textContent()).toMatch(/^[1-9]/);
    expect(await detail.getByTestId("step-cost").textContent()).toMatch(/^\$/);
    expect(await detail.getByTestId("step-latency").textContent()).toMatch(/\d+(\.\d+)? (ms|s)$/);
    expect(await detail.getByTestId("step-prompt").textContent()).toContain("quarterly revenue");
    await page.screenshot({ path: `${SHOTS}/05-step-detail.png` });
  });

  it("cancels a slow run from the run view", async () => {
    await page.goto(base);
    await page.getByRole("link", { name: "Summarise and route" }).click();
    await page.getByRole("button", { name: "Run…" }).click();
    await page.getByLabel("topic").fill("something slow");
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/\/runs\//);
    await page.locator('[data-kind="llm.request"]').first().waitFor();
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 15_000 });
    await page.locator('.chip[data-status="canceled"]').first().waitFor();
  });

  it("lists the workflow with its last run, and its runs", async () => {
    await page.goto(base);
    await page.getByRole("table", { name: "Workflows" }).waitFor();
    await page.screenshot({ path: `${SHOTS}/06-workflows.png` });
    await page.getByRole("link", { name: "Runs" }).first().click();
    await page.getByRole("table", { name: "Runs" }).waitFor();
    expect(await page.locator("table[aria-label=Runs] tbody tr").count()).toBe(2);
    expect(consoleErrors).toEqual([]);
  });
});
