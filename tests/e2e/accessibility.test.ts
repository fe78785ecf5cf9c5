import type { Browser, Page } from "playwright-core";
import type { Task } from "../../shared/task.js";
import { removeDir } from "../support/codex-fixtures.js";
import { auditBothSchemes } from "../support/e2e-axe.js";
import { launchBrowser } from "../support/e2e-browser.js";
import { openPage, signInAs } from "../support/e2e-pages.js";
import {
  fixTicket,
  startFix,
  startTestSandbox,
  waitForTask,
  waitForTaskState,
  type ApiClient,
  type TestSandbox,
} from "../support/sandbox-harness.js";

/**
 * WCAG 2.2 AA in the browser: axe-core over every page and every state a task can be in,
 * each in light and dark mode, on the real server in sandbox mode (real Codex on the
 * scripted model). Each test collects every violation it finds, then fails listing them all.
 */
let sandbox: TestSandbox;
let browser: Browser;
let ada: ApiClient;

beforeAll(async () => {
  // One task at a time, so a second task stays queued behind a stalled one.
  sandbox = await startTestSandbox({ MAX_CONCURRENT_TASKS: "1" }, undefined, { web: true });
  ada = await sandbox.signIn("ada@acme.test");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  if (sandbox) await removeDir(sandbox.dataDir);
});

const stalls = (ticketKey: string) => ({
  kind: "stall" as const,
  stallMs: 120_000,
  when: (ctx: { firstUserMessage: string }) => ctx.firstUserMessage.includes(`Key: ${ticketKey}`),
});

/** Audits the page as it is now in both colour schemes, adding any problem to `found`. */
async function audit(page: Page, where: string, found: string[]): Promise<void> {
  found.push(...(await auditBothSchemes(page, where)));
}

function expectClean(found: string[]): void {
  if (found.length > 0) throw new Error(`\n${found.join("\n\n")}`);
}

async function newPage(): Promise<Page> {
  return browser.newPage({ viewport: { width: 1366, height: 768 } });
}

async function openTask(page: Page, task: Task, heading: RegExp): Promise<void> {
  await openPage(page, `${sandbox.running.url}/tasks/${task.id}`, heading);
}

describe("accessibility (axe-core, WCAG 2.2 A/AA, light and dark)", () => {
  it("sign-in, the lists, the forms, empty lists and errors", async () => {
    const found: string[] = [];
    const page = await newPage();
    const url = sandbox.running.url;
    await page.goto(url);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("button", { name: /Ada Brooks/ }).waitFor();
    await audit(page, "Sign in", found);

    await signInAs(page, url, /Ada Brooks/);
    await page.getByText("SHOP-141").first().waitFor();
    await audit(page, "Tickets", found);

    await page.getByLabel("Filter tickets").fill("no-such-words");
    await page.getByText(/No tickets match/).waitFor();
    await audit(page, "Tickets, no match", found);

    await openPage(page, `${url}/tickets/SHOP-141`, /Free shipping/);
    await audit(page, "Ticket", found);

    await openPage(page, `${url}/tickets/SHOP-999`, "Ticket SHOP-999 not found");
    await audit(page, "Ticket not found", found);

    await openPage(page, `${url}/tasks/new`, "New task");
    await audit(page, "New task", found);

    await openPage(page, `${url}/reviews`, "Reviews");
    await audit(page, "Reviews", found);

    // The admin's sessions: the list, then a row asking to confirm a revoke (not confirmed).
    await openPage(page, `${url}/sessions`, "Sessions");
    const revoke = page.getByRole("button", { name: /^Revoke the session of/ }).first();
    await revoke.waitFor();
    await audit(page, "Sessions", found);
    await revoke.click();
    await page.getByRole("button", { name: "Yes, sign out" }).waitFor();
    await audit(page, "Sessions, confirming a revoke", found);
    await page.keyboard.press("Escape");
    await revoke.waitFor();

    await openPage(page, `${url}/history`, "History");
    await page.getByText(/No tasks yet|No tasks match/).waitFor();
    await audit(page, "History, empty", found);

    await openPage(page, `${url}/tasks/00000000-0000-4000-8000-000000000000`, "Task not found");
    await audit(page, "Task not found", found);

    await openPage(page, `${url}/no-such-page`, "Page not found");
    await audit(page, "Page not found", found);

    // The tickets list when the server fails: the error panel with its Retry button.
    await page.route("**/api/tickets**", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "jira_unavailable", message: "Jira is down" } }),
      }),
    );
    await page.goto(url);
    await page.getByRole("button", { name: /Retry/ }).first().waitFor();
    await audit(page, "Tickets, server error", found);
    await page.close();

    // A product manager: the "not available" page.
    const pm = await newPage();
    await signInAs(pm, url, /Pat Morgan/);
    await openPage(pm, `${url}/history`, "Not available to you");
    await audit(pm, "History refused to a PM", found);
    await pm.close();
    expectClean(found);
  });

  it("a task queued, running, cancelled, failed with advice, and finished with its PR", async () => {
    const found: string[] = [];
    const { model } = sandbox.running.sandbox;
    const page = await newPage();
    await signInAs(page, sandbox.running.url, /Ada Brooks/);

    // Running: the model stalls on SHOP-138's first request; SHOP-144 waits behind it.
    model.setFaults([stalls("SHOP-138")]);
    const running = await startFix(ada, "SHOP-138");
    await waitForTaskState(ada, running.id, (t) => t.status === "running");
    const queued = await startFix(ada, "SHOP-144");
    await waitForTaskState(ada, queued.id, (t) => t.status === "queued");

    await openTask(page, running, /Order total goes negative/);
    await page.getByRole("button", { name: "Cancel" }).waitFor();
    await audit(page, "Task, running", found);
    // prefers-reduced-motion: the running pill's pulse and the spinners stand still. Only
    // keyframe animations count: a transition already under way (a hover fade) keeps the
    // timing it started with, while every new one takes the reduced duration.
    const longestAnimation = () =>
      page.evaluate(() =>
        Math.max(
          0,
          ...document
            .getAnimations()
            .filter((a) => a instanceof CSSAnimation)
            .map((a) => Number(a.effect?.getTiming().duration)),
        ),
      );
    expect(await longestAnimation()).toBeGreaterThan(100);
    await page.emulateMedia({ reducedMotion: "reduce" });
    expect(await longestAnimation()).toBeLessThanOrEqual(0.01);
    await page.emulateMedia({ reducedMotion: "no-preference" });
    await openTask(page, queued, /same product twice/);
    await page.getByText("Queued").first().waitFor();
    await audit(page, "Task, queued", found);

    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Retry" }).waitFor();
    await audit(page, "Task, cancelled", found);
    expect((await waitForTask(ada, queued.id)).status).toBe("cancelled");
    expect((await ada.post(`/api/tasks/${running.id}/cancel`)).status).toBe(202);
    expect((await waitForTask(ada, running.id)).status).toBe("cancelled");

    // Failed with advice: OpenAI refuses the key.
    model.setFaults([{ kind: "http_error", status: 401, count: Infinity }]);
    const failed = await fixTicket(ada, "SHOP-147");
    model.setFaults([]);
    expect(failed.status).toBe("failed");
    await openTask(page, failed, /Prices shown/);
    await page.getByText(/could not sign in to OpenAI/).waitFor();
    await audit(page, "Task, failed with advice", found);

    // Finished: the pull request card, the diff opened, the follow-up form filled in.
    const done = await fixTicket(ada, "SHOP-141");
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened" });
    await openTask(page, done, /Free shipping/);
    await page.getByRole("region", { name: "Pull request", exact: true }).waitFor();
    await page.locator(".diff-file").first().waitFor();
    await page.getByLabel("Message to the agent").fill("Also add a regression test");
    await audit(page, "Task, finished with PR and diff", found);

    await openPage(page, `${sandbox.running.url}/history`, "History");
    await page.getByText("SHOP-141").first().waitFor();
    // The spend section's tables, filled by the tasks above, are part of what is audited.
    await page
      .getByRole("region", { name: "Spend against budgets" })
      .getByRole("table", { name: "Spend per person" })
      .waitFor();
    await audit(page, "History, with tasks", found);
    await page.close();
    expectClean(found);
  });
});
