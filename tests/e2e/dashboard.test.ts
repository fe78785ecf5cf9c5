import type { Browser, Page } from "playwright-core";
import type { RunningSandbox } from "../../server/sandbox/start-sandbox.js";
import { removeDir } from "../support/codex-fixtures.js";
import { launchBrowser, screenshot, watchPage } from "../support/e2e-browser.js";
import { signInAs } from "../support/e2e-pages.js";
import {
  fixTicket,
  startFix,
  startTestSandbox,
  waitForTask,
  waitForTaskState,
  type TestSandbox,
} from "../support/sandbox-harness.js";

/**
 * The dashboard in a real browser against the real server in sandbox mode: the real
 * Codex binary on the scripted model, the built-in Jira and GitHub, SQLite on disk.
 * Each test works on its own ticket and makes the tasks it needs, so any one runs alone.
 */
let harness: TestSandbox;
let sandbox: RunningSandbox;
let browser: Browser;

beforeAll(async () => {
  harness = await startTestSandbox({}, undefined, { web: true });
  sandbox = harness.running;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  if (harness) await removeDir(harness.dataDir);
});

function signIn(page: Page, persona: RegExp): Promise<void> {
  return signInAs(page, sandbox.url, persona);
}

/** The sandbox's pull requests for a ticket (their branches are named after it). */
function pullRequestsFor(ticketKey: string) {
  const prefix = `codex/${ticketKey.toLowerCase()}-`;
  return sandbox.sandbox.github.pullRequests().filter((p) => p.head.ref.startsWith(prefix));
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

    expect(pullRequestsFor("SHOP-141")).toHaveLength(1);

    // Once the task is done, the ticket's row offers Fix again (no running task to link to).
    await page.getByRole("link", { name: "Tickets", exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: "SHOP-141" });
    await row.getByRole("button", { name: /Fix this bug/ }).waitFor();
    await expect(row.getByRole("link", { name: /View/ }).count()).resolves.toBe(0);

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

    const message = "Also fix the dispatch rule for Friday orders";
    await page.getByLabel("Message to the agent").fill(message);
    await page.getByRole("button", { name: "Send follow-up" }).click();
    // The timeline shows the follow-up turn: who asked, and what.
    const turn = page.locator(".activity__item--turn").filter({ hasText: "Follow-up" });
    await turn.filter({ hasText: "by eve@acme.test" }).filter({ hasText: message }).waitFor();
    // The follow-up turn finishes and its change is pushed to the same pull request, which
    // gets a comment quoting the engineer.
    await expect
      .poll(
        () => {
          const pull = pullRequestsFor("SHOP-152")[0];
          return pull
            ? sandbox.sandbox.github.comments("acme/storefront", pull.number).map((c) => c.body)
            : [];
        },
        { timeout: 180_000 },
      )
      .toEqual([expect.stringContaining(`Follow-up from eve@acme.test:\n\n> ${message}`)]);
    expect(pullRequestsFor("SHOP-152")).toHaveLength(1);
    // The follow-up made the tests pass: the pull request is no longer a draft, on GitHub
    // and then on the page.
    await expect.poll(() => pullRequestsFor("SHOP-152")[0]?.draft, { timeout: 60_000 }).toBe(false);
    await expect.poll(() => pr.locator(".tag--draft").count(), { timeout: 60_000 }).toBe(0);
    await page
      .getByText(/ready for review/)
      .first()
      .waitFor();
    await screenshot(page, "05-follow-up-done");
    await page.close();
  });

  it("an admin reads the History", async () => {
    // Its own finished task, made through the API as the dashboard would.
    const ada = await harness.signIn("ada@acme.test");
    const task = await fixTicket(ada, "SHOP-150");
    expect(task).toMatchObject({ ticketKey: "SHOP-150", status: "completed" });

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signIn(page, /Ada Brooks/);
    await page.getByRole("link", { name: "History" }).click();
    await page.getByRole("heading", { name: "History" }).waitFor();
    // Each task says what it was: the ticket's summary under its key, and links to it.
    const row = page.getByRole("row").filter({ hasText: "SHOP-150" });
    await row
      .getByText("Sales tax is calculated on the price before the coupon discount")
      .waitFor();
    await screenshot(page, "06-history");
    await page.close();
  });

  it("the tickets list links to a running task instead of offering a second fix", async () => {
    const ada = await harness.signIn("ada@acme.test");
    // The model stalls on SHOP-155's first request, so the task is running while we look.
    sandbox.sandbox.model.setFaults([
      {
        kind: "stall",
        stallMs: 120_000,
        when: (ctx) => ctx.firstUserMessage.includes("Key: SHOP-155"),
      },
    ]);
    const running = await startFix(ada, "SHOP-155");
    await waitForTaskState(ada, running.id, (t) => t.status === "running");

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signIn(page, /Pat Morgan/);
    const row = page.getByRole("row").filter({ hasText: "SHOP-155" });
    const link = row.getByRole("link", { name: /Running/ });
    await link.waitFor();
    await expect(link.getAttribute("href")).resolves.toBe(`/tasks/${running.id}`);
    await expect(row.getByRole("button", { name: /Fix this bug/ }).count()).resolves.toBe(0);
    await page.close();

    expect((await ada.post(`/api/tasks/${running.id}/cancel`)).status).toBe(202);
    expect((await waitForTask(ada, running.id)).status).toBe("cancelled");
  });
});
