/**
 * The dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core) against a real
 * FlowTrace server process (real PostgreSQL, in-process queue, the built-in provider simulator).
 * Screenshots land in test-artifacts/screenshots/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TcpProxy } from "../../server/test/helpers/process.ts";
import { axeViolations, type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let base: string;
let page: Page;
let consoleErrors: string[] = [];

beforeAll(async () => {
  harness = await startHarness(
    { FLOWTRACE_SIMULATOR_LATENCY_MS: "400", FLOWTRACE_SEED_DEMO: "0" },
    { traceView: "timeline" },
  );
  ({ base, page, consoleErrors } = harness);
}, 120_000);

afterAll(() => harness?.close());

/** POST JSON to the server's REST API; the test fails with the body when it is not a 2xx. */
async function post(path: string, body: unknown): Promise<Record<string, string>> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as Record<string, string>;
}

async function connectNodes(from: string, to: string) {
  const source = page.locator(`.react-flow__handle.source[data-nodeid="${from}"]`);
  const target = page.locator(`.react-flow__handle.target[data-nodeid="${to}"]`);
  // Wait until the canvas has settled (a layout or fit may still be moving the nodes).
  let last = "";
  await expect
    .poll(async () => {
      const now = JSON.stringify([await source.boundingBox(), await target.boundingBox()]);
      const settled = now === last;
      last = now;
      return settled;
    })
    .toBe(true);
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
    // Laid out again now that the nodes are connected: one above the other, both in view.
    await page.getByRole("button", { name: "Auto-layout" }).click();
    await expect
      .poll(async () => {
        const a = await page.locator('.react-flow__node[data-id="llm_1"]').boundingBox();
        const b = await page.locator('.react-flow__node[data-id="llm_2"]').boundingBox();
        const pane = await page.locator(".react-flow").first().boundingBox();
        if (!a || !b || !pane) return "not visible";
        const inside = (r: typeof a) => r.x >= pane.x && r.x + r.width <= pane.x + pane.width;
        return b.y > a.y + a.height && inside(a) && inside(b) ? "above, in view" : "elsewhere";
      })
      .toBe("above, in view");
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

    await page.locator('[data-kind="llm.response"]').first().getByRole("button").first().click();
    const detail = page.getByTestId("step-detail");
    await detail.waitFor();
    expect(await detail.getByTestId("tokens-in").textContent()).toMatch(/^[1-9]/);
    expect(await detail.getByTestId("tokens-out").textContent()).toMatch(/^[1-9]/);
    expect(await detail.getByTestId("step-cost").textContent()).toMatch(/^\$/);
    expect(await detail.getByTestId("step-latency").textContent()).toMatch(/\d+(\.\d+)? (ms|s)$/);
    expect(await detail.getByTestId("step-prompt").textContent()).toContain("quarterly revenue");
    await page.screenshot({ path: `${SHOTS}/05-step-detail.png` });
    expect(await axeViolations(page), "05-step-detail.png").toEqual([]);
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

  it("keeps the keyboard in the Run dialog: focus inside, Tab stays there, Escape closes and returns focus", async () => {
    await page.goto(base);
    await page.getByRole("link", { name: "Summarise and route" }).click();
    const opener = page.getByRole("button", { name: "Run…" });
    await opener.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Run workflow" });
    await dialog.waitFor();
    const focusedId = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent);
    // Focus moves into the dialog, on its first field.
    expect(await focusedId()).toBe("var-topic");
    // Two Tabs reach "Start run" (not fourteen through the graph behind it), and Tab never leaves the dialog.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await focusedId()).toBe("Start run");
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      const inside = await page.evaluate(() => {
        const active = document.activeElement;
        return !active || active === document.body || Boolean(active.closest("dialog"));
      });
      expect(inside, `Tab ${i + 3} left the dialog`).toBe(true);
    }
    expect(await axeViolations(page), "run dialog").toEqual([]);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Run…");
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

  it("asks before leaving the editor with unsaved changes, and stays when told to", async () => {
    await page.goto(base);
    await page.getByRole("link", { name: "Summarise and route" }).click();
    await page.getByLabel("Workflow name").fill("Summarise and route (edited)");
    await page.getByText("Unsaved changes").waitFor();
    const asked: string[] = [];
    page.once("dialog", (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/unsaved changes/);
    expect(new URL(page.url()).pathname).toMatch(/^\/workflows\/[0-9a-f-]{36}$/);
    await page.getByText("Unsaved changes").waitFor();
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
    await page.getByRole("table", { name: "Workflows" }).waitFor();
    // Nothing was saved: the list still shows the old name.
    await page.getByRole("link", { name: "Summarise and route", exact: true }).waitFor();
  });

  it("shows that a long output was cut in the trace, and loads it whole from the step", async () => {
    // A tool step whose output (100,000 characters) is above the 64 KiB a trace event holds.
    const doc = "FlowTrace long document. ".repeat(4_000);
    const graph = {
      version: "1",
      entry: "long",
      nodes: [{ id: "long", type: "tool", name: "Transform", config: { operation: "text", value: "{{input.doc}}" } }],
      edges: [],
    };
    const { id } = await post("/api/workflows", { name: "Long answer", graph_json: graph });
    const { runId } = await post(`/api/workflows/${id}/runs`, { input_vars: { doc } });
    await page.goto(`${base}/runs/${runId}`);
    await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-kind="step.finished"]').first().getByRole("button").first().click();
    const detail = page.getByTestId("step-detail");
    const note = detail.getByTestId("output-cut");
    await note.waitFor();
    expect(await note.textContent()).toMatch(/first 64 KiB of this output \(100,000 characters in all\)/);
    expect(await detail.getByTestId("step-output").textContent()).toMatch(/truncated by FlowTrace/);
    // The tool's arguments (they hold the document too) are cut in the trace as JSON: shown as such.
    expect(await detail.getByTestId("args-cut").textContent()).toMatch(/first 64 KiB of 100,0\d\d characters/);
    expect(await detail.getByTestId("step-args").textContent()).toMatch(
      /^\{"operation":"text","value":"FlowTrace long.*…$/s,
    );

    await detail.getByRole("button", { name: "Load full output" }).click();
    await expect.poll(() => note.textContent(), { timeout: 15_000 }).toBe("Full output: 100,000 characters.");
    const shown = (await detail.getByTestId("step-output").textContent()) ?? "";
    const rest = (await (await fetch(`${base}/api/runs/${runId}/steps/long`)).json()) as { output: string };
    expect(shown).toBe(doc);
    expect(rest.output).toBe(doc);
    expect(shown).not.toMatch(/truncated by FlowTrace/);
    await page.screenshot({ path: `${SHOTS}/07-step-full-output.png` });
    expect(consoleErrors).toEqual([]);
  });

  it("keeps the live run view whole across a network drop: every event once, in order", async () => {
    // The browser reaches the server through a TCP proxy the test cuts mid-run (every socket reset,
    // new connections refused), then opens again: the run view must resume from the last seq it saw.
    const url = new URL(base);
    const proxy = new TcpProxy(url.hostname, Number(url.port));
    await proxy.open();
    const viaProxy = `http://127.0.0.1:${proxy.port}`;
    try {
      const ids = ["s1", "s2", "s3", "s4", "s5"];
      const graph = {
        version: "1",
        entry: "s1",
        nodes: ids.map((id, i) => ({
          id,
          type: "llm",
          name: `Step ${i + 1}`,
          config: { provider: "openai", model: "gpt-4o-mini", cache: false },
          inputs: { text: i === 0 ? "network drop {{input.n}}" : `{{node.${ids[i - 1]}.output}}` },
        })),
        edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
      };
      const { id } = await post("/api/workflows", { name: "Network drop", graph_json: graph });
      const { runId } = await post(`/api/workflows/${id}/runs`, { input_vars: { n: String(Date.now()) } });

      await page.goto(`${viaProxy}/runs/${runId}`);
      await page.locator('[data-kind="step.finished"]').first().waitFor({ timeout: 30_000 });
      const conn = page.locator(".run-header .conn");
      expect(await conn.textContent()).toBe("live");

      await proxy.cut();
      // The view says it lost the stream while the run goes on without it.
      await expect.poll(() => conn.textContent(), { timeout: 10_000 }).toMatch(/^reconnecting|^connecting/);
      await new Promise((r) => setTimeout(r, 1_500));
      await proxy.open();

      await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 30_000 });
      await expect.poll(() => conn.textContent(), { timeout: 10_000 }).toBe("complete");

      // What the server stored, ephemeral text deltas aside.
      const stored: number[] = [];
      for (let after: number | null = 0; after !== null; ) {
        const res = await fetch(`${base}/api/runs/${runId}/trace?limit=1000&after=${after}`);
        const body = (await res.json()) as { events: { seq: number }[]; next_after: number | null };
        stored.push(...body.events.map((e) => e.seq));
        after = body.next_after;
      }
      expect(stored.length).toBeGreaterThan(20);
      expect(stored).toEqual(stored.map((_, i) => i + 1));

      // Every row the (virtualised) timeline holds, read by scrolling it from top to bottom.
      const shown = await page.evaluate(async () => {
        const el = document.querySelector<HTMLElement>('[data-testid="timeline"]');
        if (!el) return [];
        const seqs = new Set<number>();
        const rows = () =>
          el.querySelectorAll<HTMLElement>("[data-seq]").forEach((r) => {
            seqs.add(Number(r.dataset.seq));
          });
        for (let top = 0; top <= el.scrollHeight; top += el.clientHeight / 2) {
          el.scrollTop = top;
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          rows();
        }
        return [...seqs].sort((a, b) => a - b);
      });
      expect(shown).toEqual(stored);
      expect(await page.locator(".timeline .pane-title .muted").first().textContent()).toBe(
        `${stored.length.toLocaleString("en-US")} events`,
      );
      await page.locator('.chip[data-status="succeeded"]').first().waitFor();
      const run = (await (await fetch(`${base}/api/runs/${runId}`)).json()) as { total_tokens: number };
      expect(await page.getByTestId("total-tokens").textContent()).toBe(run.total_tokens.toLocaleString("en-US"));
      // The failed stream requests while the proxy was down are the browser's, not the app's errors.
      expect(consoleErrors.filter((e) => !/ERR_CONNECTION|Failed to load resource|network/i.test(e))).toEqual([]);
    } finally {
      // Leave the proxy's origin first: the page polls (the approvals badge), and a poll through the
      // cut proxy would land as a console error in the next test.
      await page.goto("about:blank");
      await proxy.cut();
    }
  });

  it("re-runs a finished run from an edited step: reused steps, lineage, and the diff against the parent", async () => {
    const errorsBefore = consoleErrors.length;
    const step = (id: string, after?: string) => ({
      id,
      type: "llm",
      name: id.toUpperCase(),
      config: { provider: "openai", model: "gpt-4o-mini", system: `${id} rerun e2e` },
      inputs: { text: after ? `{{node.${after}.output}}` : "{{input.topic}}" },
    });
    const doc = {
      version: "1",
      entry: "a",
      nodes: [step("a"), step("b", "a"), step("c", "b")],
      edges: [
        { from: "a", to: "b" },
        { from: "b", to: "c" },
      ],
    };
    const wf = await post("/api/workflows", { name: "Fix a step", graph_json: doc });
    const runId = (await post(`/api/workflows/${wf.id}/runs`, { input_vars: { topic: "re-runs" } })).runId as string;
    await page.goto(`${base}/runs/${runId}`);
    await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 30_000 });
    await page.locator('.react-flow__node[data-id="b"]').click();
    await page.getByRole("button", { name: "Re-run from here" }).click();
    const form = page.getByRole("form", { name: "Re-run from b" });
    await form.getByLabel("Prompt", { exact: true }).fill("Say it better: {{node.a.output}}");
    await page.screenshot({ path: `${SHOTS}/10-rerun-from-here.png` });
    await form.getByRole("button", { name: "Re-run", exact: true }).click();
    await page.waitForURL((url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(runId));
    await page.locator('[data-kind="run.finished"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-kind="step.reused"]').count()).toBe(1);
    await page.locator('.react-flow__node.state-reused[data-id="a"]').waitFor();
    await page.getByTestId("lineage").getByText(runId.slice(0, 8)).waitFor();
    await page.locator('.react-flow__node[data-id="a"]').click();
    await page
      .getByTestId("step-reused")
      .getByRole("link", { name: `${runId.slice(0, 8)}…` })
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/11-rerun-reused.png` });

    await page.getByTestId("lineage").getByRole("link", { name: "Compare with parent" }).click();
    await page.getByTestId("run-diff").waitFor();
    await expect.poll(() => page.getByTestId("changed-b").textContent()).toMatch(/config/);
    expect(await page.getByTestId("changed-a").textContent()).toMatch(/reused/);
    await page.getByRole("region", { name: "Changes in b" }).getByText("config.prompt").waitFor();
    await page.screenshot({ path: `${SHOTS}/12-rerun-diff.png`, fullPage: true });
    expect(await axeViolations(page), "12-rerun-diff.png").toEqual([]);
    expect(consoleErrors.slice(errorsBefore)).toEqual([]);
  });

  it("shows a workflow's versions with messages, the changes between two, and restores one", async () => {
    const errorsBefore = consoleErrors.length;
    const doc = {
      version: "1",
      entry: "a",
      nodes: [
        {
          id: "a",
          type: "llm",
          name: "A",
          config: { provider: "openai", model: "gpt-4o-mini" },
          inputs: { text: "{{input.topic}}" },
        },
      ],
      edges: [],
    };
    const wf = await post("/api/workflows", { name: "Versioned", graph_json: doc });
    const v2 = structuredClone(doc);
    v2.nodes[0] = { ...v2.nodes[0], config: { provider: "openai", model: "gpt-4o" } } as (typeof doc.nodes)[0];
    const put = await fetch(`${base}/api/workflows/${wf.id}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ graph_json: v2, message: "bigger model" }),
    });
    expect(put.status).toBe(200);
    await page.goto(`${base}/workflows/${wf.id}`);
    await page.getByRole("tab", { name: "History" }).click();
    const versions = page.getByRole("table", { name: "Versions" });
    await versions.getByText("bigger model").waitFor();
    await page.getByRole("button", { name: "Changes" }).click();
    await page.getByTestId("version-diff").getByText("~ a.config.model: gpt-4o-mini → gpt-4o").waitFor();
    await page.screenshot({ path: `${SHOTS}/13-version-history.png` });
    expect(await axeViolations(page), "13-version-history.png").toEqual([]);
    await page.getByRole("button", { name: "Restore version 1" }).click();
    await versions.getByText("restored version 1").waitFor();
    const saved = (await (await fetch(`${base}/api/workflows/${wf.id}`)).json()) as {
      version: number;
      graph_json: unknown;
    };
    expect(saved.version).toBe(3);
    expect(saved.graph_json).toEqual(doc);
    await page.getByRole("tab", { name: "JSON" }).click();
    await expect
      .poll(async () => (await page.locator("textarea").first().inputValue()).includes('"gpt-4o-mini"'))
      .toBe(true);
    expect(consoleErrors.slice(errorsBefore)).toEqual([]);
  });
});
