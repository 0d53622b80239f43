/**
 * The dashboard against a server that requires credentials: the sign-in page opens (never
 * "[Network] Unauthorized"), offering the instance token to administrators; once set, the
 * dashboard loads and the header's token button follows it.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

const TOKEN = "e2e-secret-token-0123456789";
let harness: Harness;
let page: Page;

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_API_TOKEN: TOKEN, FLOWTRACE_SEED_DEMO: "0" });
  ({ page } = harness);
}, 120_000);

afterAll(() => harness?.close());

describe("a server that requires an API token", () => {
  it("opens on the sign-in page, which takes the token; the header button shows it once set", async () => {
    await page.goto(harness.base);
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    expect(await page.locator("body").textContent()).not.toContain("[Network]");
    const button = page.getByRole("button", { name: "Set API token" });
    page.once("dialog", (d) => void d.accept(TOKEN));
    await button.click();
    // The button says the token is set without a reload, and the page now loads.
    await page.getByRole("button", { name: "API token ✓" }).waitFor();
    await page.getByText("No workflows yet.").waitFor();
    expect(harness.consoleErrors.filter((e) => !/401/.test(e))).toEqual([]);
  });
});
