/**
 * Tools from anywhere in the browser: a sub-workflow node picked from the project's workflows, run,
 * with the parent and child runs linked both ways in the run view; an agent whose tools come from a
 * registered MCP server (listed live), a workflow and a code tool; a code node's panel.
 */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SHOTS, startHarness } from "./harness.ts";

const EVERYTHING = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/dist/index.js");
let harness: Harness;
let page: Page;

async function api(method: string, path: string, body: unknown) {
  const res = await fetch(`${harness.base}/api${path}`, {
    method,
    headers: { "content-type": "application/json", origin: harness.base },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json();
}

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_SEED_DEMO: "0" });
  ({ page } = harness);
  const child = {
    version: "1",
    entry: "write",
    nodes: [
      {
        id: "write",
        type: "llm",
        name: "Write",
        config: { provider: "openai", model: "gpt-4o-mini", prompt: "Write about {{input.topic}}" },
      },
    ],
    edges: [],
  };
  await api("POST", "/workflows", { name: "Child", graph_json: child });
  await api("POST", "/mcp-servers", {
    name: "ev",
    transport: "stdio",
    command: process.execPath,
    args: [EVERYTHING, "stdio"],
  });
}, 120_000);

afterAll(() => harness?.close());

describe("tools from anywhere in the dashboard", () => {
  it("runs a sub-workflow picked in the editor; the run view links parent and child", async () => {
    await page.goto(`${harness.base}/workflows/new`);
    await page.getByLabel("Workflow name").fill("Parent");
    await page.getByRole("button", { name: "+ workflow" }).click();
    await page.getByLabel("Workflow to run").selectOption({ label: "Child (v1)" });
    await page.getByLabel("Its inputs (JSON)").fill('{"topic": "otters"}');
    await page.getByTestId("valid").waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.getByRole("button", { name: "Run…" }).click();
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/\/runs\//);
    await page.locator('.chip[data-status="succeeded"]').first().waitFor({ timeout: 30_000 });
    const child = page.getByTestId("child-run");
    await child.waitFor();
    expect(await child.textContent()).toContain("Child");
    expect(await page.getByTestId("subworkflow-cost").textContent()).toMatch(/\$|¢|unknown/);
    await page.screenshot({ path: `${SHOTS}/subworkflow-parent.png` });
    await child.click();
    await page.getByTestId("caller-run").waitFor();
    expect(harness.consoleErrors).toEqual([]);
  });

  it("gives an agent an MCP server's tool, a workflow and a code tool; offers a code node", async () => {
    await page.goto(`${harness.base}/workflows/new`);
    await page.getByLabel("Workflow name").fill("Tool belt");
    await page.getByRole("button", { name: "+ agent" }).click();
    await page.getByText("MCP server ev").click();
    await page.getByRole("checkbox", { name: /^echo — / }).check();
    await page.getByRole("checkbox", { name: "workflow Child" }).check();
    await page.getByRole("button", { name: "+ code tool" }).click();
    await page.getByLabel("code_1 source").fill("return { doubled: input.n * 2 }");
    await page.getByTestId("valid").waitFor();
    await page.screenshot({ path: `${SHOTS}/agent-tool-sources.png`, fullPage: true });
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.getByRole("checkbox", { name: "MCP tool" }).check();
    await page.getByRole("button", { name: "+ code", exact: true }).click();
    await page.getByLabel("JavaScript").waitFor();
    expect(harness.consoleErrors).toEqual([]);
  });

  it("makes a tool node of an MCP server's tool, picked from its live list", async () => {
    await page.goto(`${harness.base}/workflows/new`);
    await page.getByLabel("Workflow name").fill("Echo node");
    await page.getByRole("button", { name: "+ tool" }).click();
    await page.getByLabel("Tools from").selectOption({ label: "MCP server ev" });
    await page.getByLabel("MCP tool").selectOption("echo");
    const args = page.getByLabel("Arguments (JSON)");
    await args.fill('{"message": "hello"}');
    await args.blur();
    await page.getByTestId("valid").waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.getByRole("button", { name: "Run…" }).click();
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/\/runs\//);
    await page.locator('.chip[data-status="succeeded"]').first().waitFor({ timeout: 30_000 });
    expect(harness.consoleErrors).toEqual([]);
  });
});
