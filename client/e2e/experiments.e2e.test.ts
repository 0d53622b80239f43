/**
 * Evaluations in the browser: import a CSV dataset with its preview, run an experiment from the
 * workflow's Experiments page and watch its results, change the prompt, run a second one, and
 * compare the two with the regressions highlighted.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let base: string;
let page: Page;
let consoleErrors: string[] = [];

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_SIMULATOR_LATENCY_MS: "30" });
  ({ base, page, consoleErrors } = harness);
}, 120_000);

afterAll(() => harness?.close());

const doc = (prompt: string) => ({
  version: "1",
  entry: "answer",
  nodes: [
    {
      id: "answer",
      type: "llm",
      name: "Answer",
      config: { provider: "openai", model: "gpt-4o-mini", prompt },
      inputs: {},
    },
  ],
  edges: [],
});

async function api(method: string, path: string, body: unknown) {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

/** Start an experiment from the workflow's page and wait until its page says it succeeded. */
async function startExperiment(workflowId: string, dataset: string) {
  await page.goto(`${base}/workflows/${workflowId}/experiments`);
  const form = page.getByRole("form", { name: "New experiment" });
  await form.getByLabel("Dataset").selectOption({ label: `${dataset} (4 items)` });
  await form.getByRole("button", { name: "Start experiment" }).click();
  await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/);
  await page.locator(".experiment-header [data-status=succeeded]").waitFor({ timeout: 30_000 });
  return page.url().split("/").at(-1) as string;
}

describe("experiments in the dashboard", () => {
  it("imports a CSV dataset, runs an experiment, and compares it with one on a changed prompt", async () => {
    const { id: workflowId } = await api("POST", "/workflows", {
      name: "Capital facts",
      graph_json: doc("{{input.topic}}"),
    });

    await page.goto(`${base}/datasets`);
    await page.getByLabel("Dataset name").fill("capitals");
    await page.getByRole("button", { name: "Create dataset" }).click();
    await page.getByRole("heading", { name: "capitals" }).waitFor();
    const csv = "topic,expected\nParis,Paris\nLima,Lima\nOslo,Rome\nCairo,Tokyo\n";
    await page
      .getByLabel("Dataset file")
      .setInputFiles({ name: "capitals.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByText("4 rows").waitFor();
    await page.screenshot({ path: `${SHOTS}/30-dataset-import-preview.png` });
    expect(await axeViolations(page), "30-dataset-import-preview.png").toEqual([]);
    await page.getByRole("button", { name: "Import 4 items" }).click();
    await page.getByRole("table", { name: "Dataset items" }).getByRole("cell", { name: '{"topic":"Cairo"}' }).waitFor();

    const first = await startExperiment(workflowId as string, "capitals");
    const summary = page.getByRole("region", { name: "Summary" });
    await summary.getByText("50.0%").waitFor();
    const results = page.getByRole("table", { name: "Results" });
    await expect.poll(() => results.locator("tbody tr").count()).toBe(4);
    await page.getByRole("figure", { name: "Score distribution" }).locator("svg").first().waitFor();
    await page.getByLabel(/Failures only/).check();
    await expect.poll(() => results.locator("tbody tr").count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/31-experiment-results.png`, fullPage: true });
    expect(await axeViolations(page), "31-experiment-results.png").toEqual([]);

    // A longer prompt: the simulated answer quotes only the prompt's first words, so the city drops out.
    const longer = "Please write one warm and friendly sentence for our readers about the city of {{input.topic}}";
    await api("PUT", `/workflows/${workflowId}`, { graph_json: doc(longer), message: "friendlier prompt" });
    const second = await startExperiment(workflowId as string, "capitals");
    await summary.getByText("0.0%").waitFor();

    await page.getByLabel("Compare with").selectOption({ index: 1 });
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(new RegExp(`/experiments/${second}/compare\\?against=${first}`));
    const deltas = page.getByRole("region", { name: "Summary deltas" });
    await deltas.getByText("50.0% → 0.0%").waitFor();
    await deltas.getByText("2 / 0").waitFor();
    const table = page.getByRole("table", { name: "Item comparison" });
    await expect.poll(() => table.locator('tr[data-change="regression"]').count()).toBe(2);
    expect(await table.locator("tbody tr").first().getAttribute("data-change")).toBe("regression");
    await page.screenshot({ path: `${SHOTS}/32-experiment-compare.png`, fullPage: true });
    expect(await axeViolations(page), "32-experiment-compare.png").toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
