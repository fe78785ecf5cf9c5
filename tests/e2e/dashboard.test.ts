import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { pino } from "pino";
import { DEFAULT_WEB_DIR } from "../../server/bootstrap/start-server.js";
import { loadConfig } from "../../server/config/load-config.js";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start-sandbox.js";
import { makeCodexHome } from "../support/codex-fixtures.js";
import { launchBrowser, screenshot, watchPage } from "../support/e2e-browser.js";

/**
 * The dashboard in a real browser against the real server in sandbox mode: the real
 * Codex binary on the scripted model, the built-in Jira and GitHub, SQLite on disk.
 */
let sandbox: RunningSandbox;
let browser: Browser;

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(await makeCodexHome(), "e2e-data-"));
  const loaded = loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent" });
  if (loaded.mode !== "sandbox") throw new Error("expected the sandbox");
  sandbox = await startSandbox(loaded.config, pino({ level: "silent" }), {
    reset: true,
    stepDelayMs: 0,
    webDir: DEFAULT_WEB_DIR,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

async function signIn(page: Page, persona: RegExp): Promise<void> {
  await page.goto(sandbox.url);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByRole("button", { name: persona }).click();
  await page.getByRole("heading", { name: "Tickets" }).waitFor();
}

async function fixFromTickets(page: Page, ticketKey: string): Promise<void> {
  const row = page.getByRole("row").filter({ hasText: ticketKey });
  await row.getByRole("button", { name: /Fix this bug/ }).click();
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
}

describe("dashboard", () => {
  it("a product manager fixes a bug and watches it reach its pull request", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const watch = watchPage(page);
    await signIn(page, /Pat Morgan/);
    await screenshot(page, "01-tickets");
    await page.getByText("SHOP-141").first().waitFor();
    // What a product manager may not use is not shown.
    await expect(page.getByRole("link", { name: "History" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "New task" }).count()).resolves.toBe(0);

    await fixFromTickets(page, "SHOP-141");
    await screenshot(page, "02-task-running");
    const pr = page.getByRole("region", { name: "Pull request" }).first();
    await pr.waitFor({ timeout: 180_000 });
    await expect(pr.getByRole("link").first().getAttribute("href")).resolves.toMatch(
      /\/pull\/\d+$/,
    );
    await page.getByText("Free shipping", { exact: false }).first().waitFor();
    await screenshot(page, "03-task-done");

    // The tickets list links to the task instead of offering a second fix while it ran;
    // once done the row offers Fix again.
    const prs = sandbox.sandbox.github.pullRequests();
    expect(prs).toHaveLength(1);
    expect(prs[0]?.head.ref).toMatch(/^codex\/shop-141-/);

    // The History page is refused to a product manager even by URL.
    await page.goto(`${sandbox.url}/history`);
    await page
      .getByText(/not available/i)
      .first()
      .waitFor();
    // The only failed requests are the signed-out /api/me (401) and the refused page (403).
    expect(watch.errors.filter((e) => !/status of (401|403)/.test(e))).toEqual([]);
    await page.close();
  });

  it("an engineer sends a follow-up that completes an incomplete fix", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signIn(page, /Eve Martin/);
    await fixFromTickets(page, "SHOP-152");
    const pr = page.getByRole("region", { name: "Pull request" }).first();
    await pr.waitFor({ timeout: 180_000 });
    await pr.getByText(/draft/i).first().waitFor();
    await screenshot(page, "04-draft-pr");

    await page.getByRole("textbox").last().fill("Also fix the dispatch rule for Friday orders");
    await page.getByRole("button", { name: "Send follow-up" }).click();
    await page.getByText("Also fix the dispatch rule for Friday orders").first().waitFor();
    await page
      .getByText(/Follow-up from eve@acme\.test/)
      .first()
      .waitFor({ timeout: 180_000 })
      .catch(() => undefined);
    // The follow-up turn finishes and its change is pushed to the same pull request.
    await expect
      .poll(
        () =>
          sandbox.sandbox.github
            .pullRequests()
            .filter((p) => p.head.ref.startsWith("codex/shop-152-")).length,
        { timeout: 180_000 },
      )
      .toBe(1);
    await expect
      .poll(
        () => {
          const pull = sandbox.sandbox.github
            .pullRequests()
            .find((p) => p.head.ref.startsWith("codex/shop-152-"));
          return pull ? sandbox.sandbox.github.comments("acme/storefront", pull.number).length : 0;
        },
        { timeout: 180_000 },
      )
      .toBeGreaterThan(0);
    // The follow-up made the tests pass: the pull request is no longer a draft.
    await expect.poll(() => pr.locator(".tag--draft").count(), { timeout: 60_000 }).toBe(0);
    await page
      .getByText(/ready for review/)
      .first()
      .waitFor();
    await screenshot(page, "05-follow-up-done");
    await page.close();
  });

  it("an admin reads the History", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signIn(page, /Ada Brooks/);
    await page.getByRole("link", { name: "History" }).click();
    await page.getByRole("heading", { name: "History" }).waitFor();
    await page.getByText("SHOP-141").first().waitFor();
    await page.getByText("SHOP-152").first().waitFor();
    // Each task says what it was: the ticket's summary under its key.
    await page.getByText("Free shipping not applied to orders of exactly $50.00").first().waitFor();
    await screenshot(page, "06-history");
    await page.close();
  });
});
