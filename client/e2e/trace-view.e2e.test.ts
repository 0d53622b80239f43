/**
 * The trace view people work in (issue 22), in Chromium against a real server: the waterfall with
 * nested attempts and the fallback, the graph with figures and taken / not-taken edges, the
 * timeline's filters, search, deep link and keyboard, the step inspector's rendered output and cost
 * by token class, the cost-by-model bar, the workflow metrics page, connecting nodes from the
 * keyboard, and axe-core on each page in light and dark mode. Every figure is checked against the API.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCents, formatMs, formatTotalCost, sumCents } from "../src/lib/format.ts";
import { axeViolations, type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let base: string;
let page: Page;
let workflowId: string;
let runId: string;
// biome-ignore lint/suspicious/noExplicitAny: REST answers as the test reads them
let run: any;
// biome-ignore lint/suspicious/noExplicitAny: REST answers as the test reads them
let events: any[];

const llm = (id: string, config: Record<string, unknown>, text: string) => ({
  id,
  type: "llm",
  name: id,
  config: { provider: "openai", model: "gpt-4o-mini", ...config },
  inputs: { text },
});

/** draft fails twice at OpenAI and falls back to Anthropic; route takes "long", never "short". */
const doc = {
  version: "1",
  entry: "draft",
  nodes: [
    llm("draft", { fault: "status=503;count=2", retry: { attempts: 1 }, cache: false }, "{{input.topic}}"),
    {
      id: "route",
      type: "router",
      name: "route",
      config: { rule: "len(text) > 5 ? 'long' : 'short'" },
      inputs: { text: "{{node.draft.output}}" },
    },
    llm("long", { system: "Write **Markdown** with a list" }, "{{node.draft.output}}"),
    llm("short", {}, "{{node.draft.output}}"),
  ],
  edges: [
    { from: "draft", to: "route" },
    { from: "route", to: "long", when: "branch == 'long'" },
    { from: "route", to: "short", when: "branch == 'short'" },
  ],
};

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json();
}

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_SIMULATOR_LATENCY_MS: "150", FLOWTRACE_SEED_DEMO: "0" });
  ({ base, page } = harness);
  workflowId = (await api("POST", "/api/workflows", { name: "Trace view", graph_json: doc })).id;
  runId = (await api("POST", `/api/workflows/${workflowId}/runs`, { input_vars: { topic: "tea" } })).runId;
  for (;;) {
    run = await api("GET", `/api/runs/${runId}`);
    if (["succeeded", "failed", "canceled"].includes(run.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  events = (await api("GET", `/api/runs/${runId}/trace?limit=1000`)).events;
}, 120_000);
afterAll(() => harness?.close());

// biome-ignore lint/suspicious/noExplicitAny: REST answers as the test reads them
const step = (node: string): any => run.steps.find((s: { node_id: string }) => s.node_id === node);

async function expectAccessible(name: string) {
  expect(await axeViolations(page), name).toEqual([]);
}

describe("run view", () => {
  it("draws the waterfall: a bar per step, the failed attempts and the fallback nested, figures on hover", async () => {
    expect(run.status).toBe("succeeded");
    await page.goto(`${base}/runs/${runId}`);
    await page.locator('[data-testid="waterfall"] .wf-row').nth(3).waitFor();
    expect(await page.locator(".wf-row").count()).toBe(4);
    const draft = page.locator('.wf-row[data-node="draft"]');
    expect(await draft.locator(".wf-attempt").count()).toBe(3);
    expect(await draft.locator(".wf-attempt.failed").count()).toBe(2);
    expect(await draft.locator(".wf-attempt.fallback").count()).toBe(1);
    await draft.hover();
    const card = page.getByTestId("waterfall-card");
    await expect.poll(() => card.textContent()).toContain(formatMs(step("draft").latency_ms));
    expect(await card.textContent()).toContain(formatCents(step("draft").cost_cents));
    expect(await card.textContent()).toContain(String(step("draft").tokens_input + step("draft").tokens_output));
    await page.screenshot({ path: `${SHOTS}/40-waterfall.png` });
    await expectAccessible("run page (waterfall)");
  });

  it("opens a step from the waterfall: Markdown output with a raw toggle, cost by token class adding up", async () => {
    await page.locator('.wf-row[data-node="long"]').click();
    await page.getByRole("heading", { name: "Step long" }).waitFor();
    await page.locator('.markdown[data-testid="step-output"]').waitFor();
    const response = events.find((e) => e.kind === "llm.response" && e.step_id === step("long").id);
    await page.getByRole("button", { name: "Raw" }).click();
    expect(await page.getByTestId("step-output").textContent()).toBe(response.payload.text);
    const lines = response.payload.costBreakdown as { tokenClass: string; costCents: string }[];
    expect(sumCents(lines.map((l) => l.costCents))).toBe(step("long").cost_cents);
    for (const l of lines) {
      const cells = page.locator(`[data-testid="cost-breakdown"] tr[data-class="${l.tokenClass}"] td`);
      expect(await cells.last().textContent()).toBe(formatCents(l.costCents));
    }
    await page.screenshot({ path: `${SHOTS}/41-step-inspector.png` });
  });

  it("shows figures on the graph, taken edges solid and the one not taken dimmed with its branch", async () => {
    expect(await page.getByTestId("node-figures-draft").textContent()).toContain(formatMs(step("draft").latency_ms));
    await expect.poll(() => page.locator(".react-flow__edge.edge-taken").count()).toBe(2);
    expect(await page.locator(".react-flow__edge.edge-not-taken").count()).toBe(1);
    expect(await page.locator(".react-flow__edge.edge-not-taken").textContent()).toContain("not taken (branch = long)");
    await page.getByLabel("Highlight the slowest path").check();
    expect(await page.locator(".react-flow__node.slowest").count()).toBe(3);
    const models = new Set(
      events.filter((e) => e.kind === "llm.response").map((e) => `${e.payload.provider}/${e.payload.model}`),
    );
    expect(await page.locator(".cost-legend li").count()).toBe(models.size);
  });

  it("filters the timeline by errors and by a search, deep-links to an event and moves with j/k/Enter", async () => {
    await page.getByRole("tab", { name: "Timeline" }).click();
    const count = page.getByTestId("timeline-count");
    await expect.poll(() => count.textContent()).toBe(`${events.length} events`);
    await page.getByLabel("Errors only").check();
    const errors = events.filter(
      (e) =>
        ["retry", "fallback", "step.failed"].includes(e.kind) ||
        (e.kind === "log" && ["warn", "error"].includes(e.payload.level)),
    );
    expect(await count.textContent()).toBe(`${errors.length} of ${events.length} events`);
    await page.getByLabel("Errors only").uncheck();
    await page.getByLabel("Search events").fill("Anthropic");
    const matching = events.filter((e) => `${e.kind} ${JSON.stringify(e.payload)}`.toLowerCase().includes("anthropic"));
    expect(await count.textContent()).toBe(`${matching.length} of ${events.length} events`);

    const target = events.find((e) => e.kind === "llm.request" && e.step_id === step("long").id);
    await page.goto("about:blank");
    await page.goto(`${base}/runs/${runId}#seq=${target.seq}`);
    const row = page.locator(`.timeline-row[data-seq="${target.seq}"]`);
    await row.waitFor();
    expect(await row.getAttribute("aria-current")).toBe("true");
    await page.getByTestId("timeline").focus();
    await page.keyboard.press("j");
    expect(await page.locator(`.timeline-row[data-seq="${target.seq + 1}"]`).getAttribute("aria-current")).toBe("true");
    await page.keyboard.press("k");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Step long" }).waitFor();
    expect(page.url()).toContain(`#seq=${target.seq}`);
    await page.screenshot({ path: `${SHOTS}/42-timeline-deep-link.png` });
    await expectAccessible("run page (timeline)");
  });

  it("is accessible and readable in dark mode", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${base}/runs/${runId}`);
    await page.getByRole("tab", { name: "Waterfall" }).click(); // the Timeline was chosen last
    await page.locator(".wf-row").nth(3).waitFor();
    await page.screenshot({ path: `${SHOTS}/43-waterfall-dark.png` });
    await expectAccessible("run page (dark)");
    await page.emulateMedia({ colorScheme: "light" });
  });
});

describe("workflow metrics page", () => {
  it("shows the run's figures as GraphQL answers them, a sortable per-node table linking to runs", async () => {
    const gql = await api("POST", "/graphql", {
      query: `query($id: ID!) { workflow(id: $id) { metrics(range: D7) { totals { runs costCents unpricedSteps } nodes { nodeId } } } }`,
      variables: { id: workflowId },
    });
    const totals = gql.data.workflow.metrics.totals;
    await page.goto(`${base}/workflows/${workflowId}/metrics`);
    await page.getByTestId("metrics-totals").waitFor();
    expect(await page.getByTestId("metrics-cost").textContent()).toBe(
      formatTotalCost(totals.costCents, totals.unpricedSteps === 0, totals.unpricedSteps),
    );
    expect(await page.locator('[data-testid="node-metrics"] tbody tr').count()).toBe(3);
    await page.getByRole("button", { name: /^Node/ }).click();
    const order = await page
      .locator('[data-testid="node-metrics"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-node")));
    expect(order).toEqual(["draft", "long", "route"]);
    await page.screenshot({ path: `${SHOTS}/44-metrics.png`, fullPage: true });
    await expectAccessible("metrics page");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: `${SHOTS}/45-metrics-dark.png`, fullPage: true });
    await expectAccessible("metrics page (dark)");
    await page.emulateMedia({ colorScheme: "light" });
    await page.locator('tr[data-node="draft"]').getByRole("link", { name: "Slowest" }).click();
    await page.waitForURL(new RegExp(`/runs/${runId}`));
  });
});

describe("editor and other pages", () => {
  it("connects two nodes from the keyboard", async () => {
    await page.goto(`${base}/workflows/${workflowId}`);
    const node = page.locator('.react-flow__node[data-id="short"]');
    await node.waitFor();
    await node.focus();
    await page.keyboard.press("Enter");
    const select = page.getByLabel("Connect short to");
    await select.waitFor();
    await select.focus();
    await select.selectOption("long");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(4);
    await expectAccessible("editor");
  });

  it("has no serious or critical axe violation on the other pages, at 1024 px too", async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    for (const path of [
      "/",
      `/workflows/${workflowId}/runs`,
      "/datasets",
      "/approvals",
      `/workflows/${workflowId}/experiments`,
    ]) {
      await page.goto(`${base}${path}`);
      await page.locator("main h1, main h2").first().waitFor();
      await page.waitForTimeout(300);
      await expectAccessible(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${path} scrolls sideways at 1024 px`).toBeLessThanOrEqual(0);
    }
    await page.goto(`${base}/runs/${runId}`);
    await page.getByRole("tab", { name: "Waterfall" }).click();
    await page.locator(".wf-row").first().waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/46-run-1024.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
