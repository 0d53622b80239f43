/**
 * Teams in the browser, on a server that requires credentials: the first person signs up (owner
 * of default), creates and switches projects, creates an API key (shown once), invites a viewer
 * by link; the viewer signs up through the link and cannot start a run (the reason is shown); the
 * audit log names each person with what they did.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SHOTS, startHarness } from "./harness.ts";

let harness: Harness;
let owner: Page;
let inviteUrl = "";
const PASSWORD = "a long enough password";

beforeAll(async () => {
  harness = await startHarness({ FLOWTRACE_API_TOKEN: "teams-e2e-token-0123456789" });
  owner = harness.page;
}, 120_000);

afterAll(() => harness?.close());

async function signUp(page: Page, email: string, name: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

describe("teams in the dashboard", () => {
  it("signs the first person up as the owner, who creates and switches projects", async () => {
    await owner.goto(harness.base);
    await signUp(owner, "olive@example.com", "Olive");
    await owner.getByText("olive@example.com").waitFor();
    await owner.getByRole("link", { name: "Settings" }).click();
    await owner.getByRole("textbox", { name: "New project" }).fill("beta");
    await owner.getByRole("button", { name: "Create project" }).click();
    await owner.getByRole("heading", { name: /Project beta/ }).waitFor();
    const switcher = owner.getByLabel("Project", { exact: true });
    expect(await switcher.locator("option:checked").textContent()).toBe("beta (owner)");
    await switcher.selectOption({ label: "default (owner)" });
    await owner.waitForURL(`${harness.base}/`);
    await owner.getByRole("link", { name: "Settings" }).click();
    await owner.getByRole("heading", { name: /Project default/ }).waitFor();
  });

  it("creates an API key that is shown once", async () => {
    await owner.getByRole("form", { name: "Create an API key" }).getByRole("textbox").fill("deploy bot");
    await owner.getByRole("button", { name: "Create key" }).click();
    const shown = owner.locator("code.secret").first();
    await shown.waitFor();
    const key = (await shown.textContent()) ?? "";
    expect(key).toMatch(/^ft_[A-Za-z0-9_-]{43}$/);
    await owner.reload();
    await owner.getByRole("cell", { name: "deploy bot" }).waitFor();
    expect(await owner.locator("body").textContent()).not.toContain(key);
    await owner.getByRole("cell", { name: `${key.slice(0, 11)}…` }).waitFor();
  });

  it("invites a viewer by link, who signs up and cannot start a run", async () => {
    await owner.getByRole("form", { name: "Invite a member" }).getByRole("combobox").selectOption("viewer");
    await owner.getByRole("button", { name: "Create invitation link" }).click();
    inviteUrl = (await owner.locator("p.notice code.secret").last().textContent()) ?? "";
    expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
    const browser = owner.context().browser() as Browser;
    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await viewer.goto(inviteUrl);
    await viewer.getByText("You are invited to default as viewer.").waitFor();
    await signUp(viewer, "vera@example.com", "Vera");
    await viewer.getByText("vera@example.com").waitFor();
    await viewer.getByRole("link", { name: "Research → Summarize → Decide → Deep" }).click();
    await viewer.getByRole("button", { name: "Run…" }).click();
    await viewer.getByRole("button", { name: "Start run" }).click();
    await viewer.getByText("your role in this project (viewer) lacks the scope runs:write").waitFor();
    await viewer.screenshot({ path: `${SHOTS}/teams-viewer-refused.png` });
    await viewerContext.close();
  });

  it("shows each step in the audit log with its actor", async () => {
    await owner.reload();
    const log = owner.getByRole("table", { name: "Audit log" });
    await log.waitFor();
    const rows = async () => (await log.locator("tbody tr").allTextContents()).join("\n");
    await expect.poll(rows).toContain("member.join");
    const text = await rows();
    expect(text).toMatch(/olive@example\.com \(user\).*api_key\.create/);
    expect(text).toMatch(/olive@example\.com \(user\).*member\.invite/);
    expect(text).toMatch(/vera@example\.com \(user\).*member\.join/);
    await owner.screenshot({ path: `${SHOTS}/teams-audit-log.png`, fullPage: true });
  });
});
