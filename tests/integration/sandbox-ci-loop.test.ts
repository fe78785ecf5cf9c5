import type { Task } from "../../shared/index.js";
import {
  fileOnBranch,
  fixTicket,
  startTestSandbox,
  testsPassOnBranch,
  waitForTask,
  type ApiClient,
  type TestSandbox,
} from "../support/sandbox-harness.js";

/**
 * The sandbox demonstrates the loop: its built-in GitHub fails a check on a sandbox pull
 * request from the pull request page, delivers the signed webhook, and the agent fixes it
 * on the same branch.
 */
let sandbox: TestSandbox;
let pat: ApiClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  pat = await sandbox.signIn("pat@acme.test");
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

it("fails a check from the pull request page, and the agent answers on the same branch", async () => {
  const { github, remotePath } = sandbox.running.sandbox;
  const first = await fixTicket(pat, "SHOP-152");
  expect(first.pullRequest?.draft).toBe(true);
  const number = first.pullRequest?.number ?? 0;
  const page = await (await fetch(`${github.url}/acme/storefront/pull/${number}`)).text();
  expect(page).toContain(`action="/acme/storefront/pull/${number}/fail-check"`);

  const clicked = await fetch(`${github.url}/acme/storefront/pull/${number}/fail-check`, {
    method: "POST",
    redirect: "manual",
  });
  expect(clicked.status).toBe(303);
  expect(github.deliveries.map((d) => [d.event, d.status])).toEqual([
    ["check_run", 202],
    ["check_suite", 202],
  ]);

  const done: Task = await waitForTask(pat, first.id);
  expect({ ...done, error: done.error?.message ?? null }).toMatchObject({
    status: "completed",
    outcome: "pr_opened",
    testsPassed: true,
    error: null,
  });
  // The round was the CI's, answered on the pull request without quoting the failure.
  const reply = github.comments("acme/storefront", number).at(-1)?.body ?? "";
  expect(reply).toContain("Follow-up on the failed checks:");
  const branch = first.branch ?? "";
  expect(await fileOnBranch(remotePath, branch, "src/delivery.js")).toContain(
    "isWeekend(orderedAt) ||",
  );
  expect(await testsPassOnBranch(remotePath, branch, "test/delivery.test.js")).toBe(true);
  expect(github.pullRequests("acme/storefront")).toHaveLength(1);
}, 180_000);
