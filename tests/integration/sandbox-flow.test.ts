import type { AuthConfigResponse } from "../../shared/auth.js";
import type { Task } from "../../shared/task.js";
import type { TicketListResponse } from "../../shared/ticket.js";
import type { HealthResponse } from "../../shared/user.js";
import { removeDir } from "../support/codex-fixtures.js";
import {
  fileOnBranch,
  fixTicket,
  startTestSandbox,
  testsPassOnBranch,
  waitForTask,
  type ApiClient,
  type TestSandbox,
} from "../support/sandbox-harness.js";

// `npm start` with no configuration: the real server, the real adapters and the real
// Codex binary, against the sandbox's built-in Jira, GitHub, git remote and scripted model.
describe("sandbox mode", () => {
  let sandbox: TestSandbox;
  let pat: ApiClient;
  let eve: ApiClient;
  let shop141: Task;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    pat = await sandbox.signIn("pat@acme.test");
    eve = await sandbox.signIn("eve@acme.test");
  });

  afterAll(async () => {
    await sandbox.close();
    await removeDir(sandbox.dataDir);
  });

  it("starts in sandbox mode and offers the personas on the sign-in screen", async () => {
    const health = await pat.get<HealthResponse>("/api/health");
    expect(health.mode).toBe("sandbox");
    const auth = await pat.get<AuthConfigResponse>("/api/auth/config");
    expect(auth.sandbox).toBe(true);
    expect(auth.devUsers.map((u) => u.role)).toEqual(["pm", "engineer", "admin"]);
  });

  it("lists the sample tickets from the built-in Jira", async () => {
    const list = await pat.get<TicketListResponse>("/api/tickets?limit=50");
    expect(list.tickets.map((t) => t.key).sort()).toEqual([
      "SHOP-138",
      "SHOP-141",
      "SHOP-144",
      "SHOP-147",
      "SHOP-150",
      "SHOP-152",
      "SHOP-155",
      "SHOP-156",
    ]);
    expect(list.tickets.every((t) => t.repo === "acme/storefront")).toBe(true);
  });

  it("fixes a ticket: pushes the branch, opens the pull request and comments on Jira", async () => {
    const { remotePath, github, jira } = sandbox.running.sandbox;
    shop141 = await fixTicket(pat, "SHOP-141");

    expect(shop141).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    expect(shop141.analysis).toMatchObject({ fixable: true, files: ["src/shipping.js"] });
    const branch = shop141.branch ?? "";
    expect(branch).toMatch(/^codex\/shop-141-/);
    expect(await fileOnBranch(remotePath, branch, "src/shipping.js")).toContain(
      "amount >= FREE_SHIPPING_THRESHOLD",
    );
    expect(await fileOnBranch(remotePath, "main", "src/shipping.js")).toContain(
      "amount > FREE_SHIPPING_THRESHOLD",
    );
    expect(await testsPassOnBranch(remotePath, branch, "test/shipping.test.js")).toBe(true);

    const [pr] = github.pullRequests("acme/storefront");
    expect(pr).toMatchObject({
      number: shop141.pullRequest?.number,
      html_url: shop141.pullRequest?.url,
      draft: false,
      head: { ref: branch },
      base: { ref: "main" },
    });
    expect(pr?.requested_reviewers.map((u) => u.login)).toEqual(["eve-martin"]);
    expect(jira.comments("SHOP-141").at(-1)?.body).toContain(shop141.pullRequest?.url ?? "?");
    expect(jira.issue("SHOP-141")?.status).toBe("In Review");
  });

  it("says on the ticket when a bug cannot be fixed in code", async () => {
    const task = await fixTicket(pat, "SHOP-156");

    expect(task).toMatchObject({ status: "completed", outcome: "not_fixable", pullRequest: null });
    expect(task.analysis?.notFixableReason).toContain("PayFlow");
    const comment = sandbox.running.sandbox.jira.comments("SHOP-156").at(-1)?.body ?? "";
    expect(comment).toContain("cannot be fixed by a code change");
    expect(comment).toContain("domain verification");
  });

  it("opens a draft for an incomplete fix, which an engineer's follow-up completes", async () => {
    const { remotePath, github } = sandbox.running.sandbox;
    const first = await fixTicket(pat, "SHOP-152");
    const branch = first.branch ?? "";

    expect(first).toMatchObject({ outcome: "pr_opened", testsPassed: false });
    expect(first.pullRequest?.draft).toBe(true);
    expect(first.summary).toContain("dispatches orders placed at the weekend on Monday");
    expect(await testsPassOnBranch(remotePath, branch, "test/delivery.test.js")).toBe(false);

    const sent = await eve.post<{ task: Task }>(`/api/tasks/${first.id}/messages`, {
      message:
        "The failing test is right: the warehouse does not ship at weekends. Please fix dispatchDate() too.",
    });
    expect(sent.status).toBe(202);
    const done = await waitForTask(eve, first.id);

    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    // With the tests passing the draft is ready for review, on GitHub and on the task.
    expect(done.pullRequest).toEqual({ ...first.pullRequest, draft: false });
    const pull = github.pullRequests("acme/storefront").find((p) => p.head.ref === branch);
    expect(pull?.draft).toBe(false);
    expect(await fileOnBranch(remotePath, branch, "src/delivery.js")).toContain(
      "isWeekend(orderedAt) ||",
    );
    expect(await testsPassOnBranch(remotePath, branch, "test/delivery.test.js")).toBe(true);
    const comments = github.comments("acme/storefront", first.pullRequest?.number ?? 0);
    expect(comments.at(-1)?.body).toContain("Follow-up from eve@acme.test");
  });

  it("answers a free-form task honestly without changing code", async () => {
    const created = await eve.post<{ task: Task }>("/api/codex/task", {
      repo: "acme/storefront",
      prompt: "Add a loyalty points module",
    });
    const task = await waitForTask(eve, created.body.task.id);

    expect(task).toMatchObject({ status: "completed", outcome: "answered", pullRequest: null });
    expect(task.summary).toContain("scripted model");
    expect(task.summary).toContain("test/shipping.test.js");
  });

  it("keeps the Jira comments, the pull requests and the tasks across a restart", async () => {
    await sandbox.close();
    sandbox = await startTestSandbox({}, sandbox.dataDir);
    const admin = await sandbox.signIn("ada@acme.test");

    const { task } = await admin.get<{ task: Task }>(`/api/tasks/${shop141.id}`);
    expect(task.outcome).toBe("pr_opened");
    const comments = sandbox.running.sandbox.jira.comments("SHOP-141");
    expect(comments.at(-1)?.body).toContain(shop141.pullRequest?.url ?? "?");
    expect(sandbox.running.sandbox.jira.issue("SHOP-141")?.status).toBe("In Review");
    // The built-in GitHub kept its pull requests: the task's link still opens its page.
    const number = shop141.pullRequest?.number;
    const pulls = sandbox.running.sandbox.github.pullRequests("acme/storefront");
    expect(pulls.find((p) => p.number === number)?.html_url).toBe(shop141.pullRequest?.url);
    const page = await fetch(shop141.pullRequest?.url ?? "?");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(shop141.branch ?? "?");
  });
});
