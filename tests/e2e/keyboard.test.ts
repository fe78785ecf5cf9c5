import { mkdir, mkdtemp } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { pino } from "pino";
import { openSqliteDatabase, seedTasks } from "../../server/adapters/storage/index.js";
import { sandboxPaths } from "../../server/sandbox/start-sandbox.js";
import { removeDir } from "../support/codex-fixtures.js";
import { launchBrowser } from "../support/e2e-browser.js";
import { openPage, signInAs } from "../support/e2e-pages.js";
import { fixTicket, startTestSandbox, type TestSandbox } from "../support/sandbox-harness.js";
import { TEST_STATE_DIR } from "../support/test-state-dir.js";

/**
 * The keyboard alone (no mouse), and the page at 200 % zoom, in a real browser against
 * the sandbox.
 */
let sandbox: TestSandbox;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startTestSandbox({}, undefined, { web: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  if (sandbox) await removeDir(sandbox.dataDir);
});

/** What has keyboard focus: its name (label or text), and whether a focus ring shows. */
interface Focused {
  tag: string;
  id: string;
  text: string;
  ringVisible: boolean;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: "body", id: "", text: "", ringVisible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    // A control's label (its first line: a select's label also holds its options).
    const labels = "labels" in el ? (el as HTMLInputElement).labels : null;
    const label = labels?.[0]?.innerText.split("\n")[0];
    const text = el.getAttribute("aria-label") ?? label ?? el.innerText ?? "";
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: text.trim().replace(/\s+/g, " "),
      ringVisible: outline || style.boxShadow !== "none",
    };
  });
}

/**
 * Presses Tab until the focused element's text matches, checking that every element
 * passed on the way shows a focus ring; fails after `max` presses (unreachable).
 */
async function tabTo(page: Page, name: RegExp, max = 60): Promise<Focused> {
  const passed: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    expect(now.ringVisible, `no visible focus on <${now.tag}> "${now.text}"`).toBe(true);
    if (name.test(now.text)) return now;
    passed.push(now.text);
  }
  throw new Error(`${name} not reached with Tab; passed: ${passed.join(" | ")}`);
}

/** Tabs through the whole page and back to the start: every stop, in order. */
async function tabCycle(page: Page, max = 150): Promise<string[]> {
  await page.keyboard.press("Tab");
  const start = await focused(page);
  const stops = [start.text];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (now.tag === "body" || now.text === start.text) return stops;
    stops.push(now.text);
  }
  throw new Error(`focus never came back round (a trap?); stops: ${stops.join(" | ")}`);
}

describe("keyboard only", () => {
  it("a product manager goes from sign-in to an opened pull request without a mouse", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(sandbox.running.url);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("button", { name: /Pat Morgan/ }).waitFor();
    await tabTo(page, /Pat Morgan/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Tickets", level: 1 }).waitFor();
    await page.getByText("SHOP-141").first().waitFor();

    // The skip link comes first and lands in the main content.
    const skip = await tabTo(page, /Skip to content/, 1);
    expect(skip.tag).toBe("a");
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("main");

    // The filter, then the ticket's Fix button.
    await expect(tabTo(page, /Filter tickets/, 1)).resolves.toMatchObject({ id: "ticket-filter" });
    await tabTo(page, /Fix this bug: SHOP-141/);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    // Starting the task moved focus to the task page's heading.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.tagName), { timeout: 15_000 })
      .toBe("H1");
    await expect(focused(page)).resolves.toMatchObject({
      text: expect.stringMatching(/Free shipping/),
    });

    const pr = page.getByRole("region", { name: "Pull request", exact: true });
    await pr.waitFor({ timeout: 180_000 });
    await page.locator(".diff-file").first().waitFor();
    // Every stop on the finished task page, with no trap: the PR link and the diff's files.
    const stops = await tabCycle(page);
    expect(stops).toEqual(expect.arrayContaining([expect.stringMatching(/Open pull request/)]));
    expect(stops.filter((s) => /^src\/|\.(js|ts)\b/.test(s)).length).toBeGreaterThan(0);

    await page.getByRole("heading", { level: 1 }).first().focus();
    await tabTo(page, /Open pull request/);
    const [opened] = await Promise.all([
      context.waitForEvent("page"),
      page.keyboard.press("Enter"),
    ]);
    await opened.waitForURL(/\/pull\/\d+$/);
    await context.close();
  });

  it("an engineer reaches the follow-up, and an admin the History filters, by keyboard", async () => {
    const eve = await sandbox.signIn("eve@acme.test");
    const task = await fixTicket(eve, "SHOP-144");
    expect(task.status).toBe("completed");
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInAs(page, sandbox.running.url, /Eve Martin/);
    await openPage(page, `${sandbox.running.url}/tasks/${task.id}`, /same product twice/);
    await expect(tabTo(page, /Message to the agent/, 80)).resolves.toMatchObject({
      id: "follow-up",
    });
    await page.keyboard.type("Also add a regression test");
    await tabTo(page, /Send follow-up/, 1);

    const ada = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInAs(ada, sandbox.running.url, /Ada Brooks/);
    await openPage(ada, `${sandbox.running.url}/history`, "History");
    await ada.getByText("SHOP-144").first().waitFor();
    const stops = await tabCycle(ada);
    // Every filter, then Apply and Clear, in reading order.
    const filters = ["Status", "Outcome", "Ticket", "Repository", "Who", "From", "To", "Apply"];
    const reached = [...new Set(stops.filter((stop) => filters.includes(stop)))];
    expect(reached).toEqual(filters);
    await page.close();
    await ada.close();
  });
});

/** History's page size: one more row than this makes a "Load more". */
const HISTORY_PAGE = 50;
const SEEDED = 60;

/**
 * A sandbox whose database already holds 60 finished tasks (more than one History page);
 * the sample sandbox alone has too few rows for a "Load more".
 */
async function seededSandbox(): Promise<TestSandbox> {
  await mkdir(TEST_STATE_DIR, { recursive: true });
  const dir = await mkdtemp(path.join(TEST_STATE_DIR, "sandbox-"));
  const db = await openSqliteDatabase({
    file: sandboxPaths(dir).database,
    logger: pino({ level: "silent" }),
  });
  await seedTasks(db, SEEDED, 1);
  // The seed leaves its newest task active; finished, it stays out of the sandbox's queue.
  db.connection.exec(
    "UPDATE tasks SET status = 'cancelled', phase = 'done', finished_at = created_at WHERE status IN ('queued', 'running')",
  );
  await db.close();
  return startTestSandbox({}, dir, { web: true });
}

describe("History's Load more, by keyboard", () => {
  let seeded: TestSandbox;

  beforeAll(async () => {
    seeded = await seededSandbox();
  });

  afterAll(async () => {
    await seeded?.close();
    if (seeded) await removeDir(seeded.dataDir);
  });

  it("loads the next page with Enter and moves focus to the first new row", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInAs(page, seeded.running.url, /Ada Brooks/);
    await openPage(page, `${seeded.running.url}/history`, "History");
    const rows = page.getByRole("table", { name: "Tasks, newest first" }).locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(HISTORY_PAGE);

    await expect(tabTo(page, /^Load more$/, 400)).resolves.toMatchObject({ tag: "button" });
    await page.keyboard.press("Enter");
    await expect.poll(() => rows.count()).toBe(SEEDED);
    // The last page: no more "Load more", and focus is on the first row it brought, not lost.
    await expect(page.getByRole("button", { name: "Load more" }).count()).resolves.toBe(0);
    await expect
      .poll(() =>
        page.evaluate(() => {
          const row = document.activeElement?.closest("tr");
          return row ? [...row.parentElement!.children].indexOf(row) : -1;
        }),
      )
      .toBe(HISTORY_PAGE);
    const now = await focused(page);
    expect(now.ringVisible).toBe(true);
    expect(now.tag).toBe("a");
    await page.close();
  });
});

describe("200 % zoom: 1280 px at 200 % is a 640 CSS px wide viewport", () => {
  it("no page scrolls sideways", async () => {
    const ada = await sandbox.signIn("ada@acme.test");
    const task = await fixTicket(ada, "SHOP-147");
    const page = await browser.newPage({ viewport: { width: 640, height: 800 } });
    const url = sandbox.running.url;
    const wide: string[] = [];
    const check = async (where: string) => {
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      if (scroll > client) wide.push(`${where}: ${scroll} > ${client}`);
    };
    await page.goto(url);
    await page.getByRole("button", { name: /Ada Brooks/ }).waitFor();
    await check("Sign in");
    await signInAs(page, url, /Ada Brooks/);
    await page.getByText("SHOP-141").first().waitFor();
    await check("Tickets");
    await openPage(page, `${url}/tickets/SHOP-141`, /Free shipping/);
    await check("Ticket");
    await openPage(page, `${url}/tasks/${task.id}`, /Prices shown/);
    await page.locator(".diff-file").first().waitFor();
    await check("Task");
    await openPage(page, `${url}/history`, "History");
    await page.getByText("SHOP-147").first().waitFor();
    await check("History");
    await openPage(page, `${url}/reviews`, "Reviews");
    await check("Reviews");
    await openPage(page, `${url}/tasks/new`, "New task");
    await check("New task");
    await page.close();
    expect(wide).toEqual([]);
  });
});
