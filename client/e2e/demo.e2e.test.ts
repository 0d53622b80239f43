/**
 * The spec's two-minute demo (§7) as a test, in the browser against a real server:
 * 1 open the 4-node flow · 2 run it and watch the live trace · 3 inspect a step ·
 * 4 force an error: a retry and a fallback appear and the run still succeeds ·
 * 5 re-run the same input: cache.hit, cost ≈ 0, totals. Every number shown is checked against the API.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMs as ms, formatCents as usd } from "../src/lib/format.ts";
import { type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let base: string;
let page: Page;
const started = Date.now();

interface RestRun {
  status: string;
  total_tokens: number;
  total_cost_cents: string;
  steps: {
    node_id: string;
    tokens_input: number;
    tokens_output: number;
    cost_cents: string | null;
    latency_ms: number | null;
  }[];
}

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_SIMULATOR_LATENCY_MS: "300" }, { traceView: "timeline" });
  ({ base, page } = harness);
}, 120_000);
afterAll(() => harness?.close());

/** From the workflows list, open the research demo in the editor. */
async function openFlow() {
  await page.goto(base);
  await page.getByRole("link", { name: "Research → Summarize → Decide → Deep" }).click();
  await page.locator('.react-flow__node[data-id="summarize"]').waitFor();
}

async function runAndCheck(shot: string): Promise<{ runId: string; run: RestRun }> {
  await page.getByRole("button", { name: "Run…" }).click();
  await page.getByRole("button", { name: "Start run" }).click();
  await page.waitForURL(/\/runs\//);
  const runId = page.url().split("/runs/")[1] as string;
  await page.locator(".timeline-row").first().waitFor(); // the trace streams in while the run executes
  await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 30_000 });
  const run = (await (await fetch(`${base}/api/runs/${runId}`)).json()) as RestRun;
  // The header shows exactly the run's totals.
  await expect
    .poll(async () => page.getByTestId("total-tokens").textContent())
    .toBe(run.total_tokens.toLocaleString("en-US"));
  expect(await page.getByTestId("total-cost").textContent()).toBe(usd(run.total_cost_cents));
  await page.screenshot({ path: `${SHOTS}/${shot}` });
  return { runId, run };
}

describe("the two-minute demo", () => {
  it("steps 1–3: open the 4-node flow, run it live, inspect a step", async () => {
    await openFlow();
    await expect.poll(() => page.locator(".react-flow__node").count()).toBe(4);
    await page.screenshot({ path: `${SHOTS}/demo-1-flow.png` });

    const { run } = await runAndCheck("demo-2-live-run.png");
    expect(run.status).toBe("succeeded");
    expect(await page.getByTestId("retries").textContent()).toBe("0 / 0");

    await page.locator('.react-flow__node[data-id="summarize"]').click();
    const detail = page.getByTestId("step-detail");
    const step = run.steps.find((s) => s.node_id === "summarize");
    expect(await detail.getByTestId("tokens-in").textContent()).toBe(step?.tokens_input.toLocaleString("en-US"));
    expect(await detail.getByTestId("tokens-out").textContent()).toBe(step?.tokens_output.toLocaleString("en-US"));
    expect(await detail.getByTestId("step-cost").textContent()).toBe(usd(step?.cost_cents ?? null));
    expect(await detail.getByTestId("step-latency").textContent()).toBe(ms(step?.latency_ms ?? null));
    expect(await detail.getByTestId("step-prompt").textContent()).toContain("FlowTrace Research Brief");
    await page.screenshot({ path: `${SHOTS}/demo-3-step.png` });
  });

  it("step 4: a forced error shows a retry and a fallback, and the run still succeeds", async () => {
    await openFlow();
    await page.locator('.react-flow__node[data-id="summarize"]').click();
    await page.getByLabel(/Force a provider error/).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    const { run } = await runAndCheck("demo-4-fallback.png");
    expect(run.status).toBe("succeeded");
    expect(await page.getByTestId("retries").textContent()).toBe("3 / 1");
    await page.locator('.react-flow__node[data-id="summarize"]').click();
    await page.getByText(/openai\/gpt-4o-mini → anthropic\/claude-3-5-haiku-20241022/).waitFor();
  });

  it("step 5: re-running the same input hits the cache, costs ≈ 0, and the totals add up", async () => {
    await openFlow();
    await page.locator('.react-flow__node[data-id="summarize"]').click();
    await page.getByLabel(/Force a provider error/).uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    const { run } = await runAndCheck("demo-5-cache.png");
    expect(run.status).toBe("succeeded");
    expect(run.total_cost_cents).toBe("0");
    expect(await page.getByTestId("total-cost").textContent()).toBe("$0");
    expect(await page.getByTestId("cache-savings").textContent()).toMatch(/^2 hits, saved \$0\.\d+$/);
    const hits = await fetch(`${base}/api/runs/${page.url().split("/runs/")[1]}/trace?limit=1000`);
    const trace = (await hits.json()) as { events: { kind: string }[] };
    expect(trace.events.filter((e) => e.kind === "cache.hit")).toHaveLength(2);
    expect(run.total_tokens).toBe(run.steps.reduce((a, s) => a + s.tokens_input + s.tokens_output, 0));
    expect(Date.now() - started).toBeLessThan(120_000);
  });
});
