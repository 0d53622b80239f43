/**
 * Honest figures in the dashboard, in headless Chromium against a real server process: a run with
 * a step whose provider reported no usage and a step on a self-hosted (unpriced) model shows its
 * total as a lower bound and its estimated figures with `~`, in the run header, the step inspector
 * and the runs list.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../server/src/providers/simulator/simulator.ts";
import { type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let sim: Simulator;
let base: string;
let page: Page;

beforeAll(async () => {
  // A named OpenAI-compatible server (here a second simulator) whose models have no price.
  sim = await startSimulator();
  harness = await startHarness(
    {
      FLOWTRACE_SEED_DEMO: "0",
      FLOWTRACE_SIMULATOR_LATENCY_MS: "0",
      FLOWTRACE_OPENAI_COMPATIBLE: `local=${sim.openaiBaseUrl}`,
    },
    { traceView: "timeline" },
  );
  ({ base, page } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await sim?.close();
});

async function rest(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json();
}

describe("honest figures in the dashboard", () => {
  it("shows an incomplete total as a lower bound and estimated usage with ~", async () => {
    const graph = {
      version: "1",
      entry: "silent",
      nodes: [
        {
          id: "silent",
          type: "llm",
          name: "No usage reported",
          // The built-in simulator answers this node without any usage, as many compatible servers do.
          config: { provider: "openai", model: "gpt-4o-mini", fault: "kind=no_usage;count=5", cache: false },
          inputs: { text: "{{input.topic}}" },
        },
        {
          id: "selfhosted",
          type: "llm",
          name: "Self-hosted",
          config: { provider: "local", model: "llama3-8b", cache: false },
          inputs: { text: "{{node.silent.output}}" },
        },
      ],
      edges: [{ from: "silent", to: "selfhosted" }],
    };
    const { id } = await rest("POST", "/api/workflows", { name: "Honest figures", graph_json: graph });
    const { runId } = await rest("POST", `/api/workflows/${id}/runs`, { input_vars: { topic: "pricing" } });

    await page.goto(`${base}/runs/${runId}`);
    await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 30_000 });
    const run = await rest("GET", `/api/runs/${runId}`);
    expect(run, JSON.stringify(run)).toMatchObject({ status: "succeeded", cost_complete: false, unpriced_steps: 1 });
    await page.locator('.chip[data-status="succeeded"]').first().waitFor();

    await expect
      .poll(() => page.getByTestId("total-cost").textContent())
      .toMatch(/^≥ \$0\.\d+ \(1 step unpriced\) \(estimated\)$/);
    expect(await page.getByTestId("total-tokens").textContent()).toMatch(/^~[1-9][\d,]*$/);

    await page.locator('.react-flow__node[data-id="silent"]').click();
    const detail = page.getByTestId("step-detail");
    await detail.waitFor();
    expect(await detail.getByTestId("tokens-in").textContent()).toMatch(/^~[1-9]/);
    expect(await detail.getByTestId("step-cost").textContent()).toMatch(/^~\$0\.\d+$/);
    expect(await detail.getByTestId("usage-estimated").textContent()).toMatch(/estimated/);
    await page.screenshot({ path: `${SHOTS}/honest-numbers-run.png` });

    await page.locator('.react-flow__node[data-id="selfhosted"]').click();
    await expect.poll(() => detail.getByTestId("step-cost").textContent()).toBe("unknown price");

    await page.goto(`${base}/workflows/${id}/runs`);
    await page.getByRole("table", { name: "Runs" }).waitFor();
    expect(await page.getByTestId("run-cost").first().textContent()).toMatch(/^≥ \$0\.\d+ \(1 step unpriced\)$/);
  });
});
