/**
 * An agent in the browser: built in the editor (tools picked from the catalog, one asking a person
 * first), run; the run waits for the tool call, whose arguments are edited and approved in the
 * banner; the step's conversation shows the task, the model's tool call and the tool's result.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let page: Page;

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_SEED_DEMO: "0" });
  ({ page } = harness);
}, 120_000);

afterAll(() => harness?.close());

describe("an agent in the dashboard", () => {
  it("is built in the editor, waits for a tool call, runs it with edited arguments and shows the conversation", async () => {
    await page.goto(harness.base);
    await page.getByRole("button", { name: "Create your first workflow" }).click();
    await page.getByLabel("Workflow name").fill("Shouting agent");
    await page.getByRole("button", { name: "+ agent" }).click();
    await page.getByLabel("Prompt").fill('Use transform upper "hello"');
    await page.getByRole("checkbox", { name: "transform", exact: true }).check();
    await page.getByRole("checkbox", { name: "Ask a person before each transform call" }).check();
    await page.getByTestId("valid").waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.getByRole("button", { name: "Run…" }).click();
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/\/runs\//);

    const banner = page.getByRole("region", { name: /Approval at agent_1/ });
    await banner.getByRole("heading", { name: /Waiting for a tool call/ }).waitFor({ timeout: 30_000 });
    const args = banner.getByLabel("Arguments (JSON)");
    expect(JSON.parse(await args.inputValue())).toEqual({ operation: "upper", value: "hello" });
    await args.fill('{"operation": "lower", "value": "EDITED"}');
    await page.screenshot({ path: `${SHOTS}/agent-tool-approval.png` });
    await banner.getByRole("button", { name: "Approve" }).click();
    await page.locator('.chip[data-status="succeeded"]').first().waitFor({ timeout: 30_000 });

    await page.locator('.react-flow__node[data-id="agent_1"]').click();
    const conversation = page.getByRole("region", { name: "Conversation" });
    await conversation.waitFor();
    await conversation.getByText('Use transform upper "hello"').waitFor();
    await conversation.getByText(/calls transform/).waitFor();
    await conversation.getByText("edited", { exact: true }).waitFor();
    await page.screenshot({ path: `${SHOTS}/agent-conversation.png`, fullPage: true });
    expect(harness.consoleErrors).toEqual([]);
  });
});
