import { writeFile } from "node:fs/promises";
import path from "node:path";
import { TaskResponseSchema } from "../../shared/index.js";
import type { FakeGitHub } from "../../server/sandbox/fake-github/index.js";
import { afterPrHooks, afterPrScript } from "../support/after-pr-fixtures.js";
import { pipelineScript } from "../support/pipeline-fixtures.js";
import { git, makeWorkspacesWorld, TempDirs, type BareRepo } from "../support/git-fixtures.js";
import { branchTip, FORK, forkOf, makeForkedRepo } from "../support/fork-fixtures.js";
import { startPipelineServer, type PipelineServer } from "../support/pipeline-server.js";

/**
 * `pushRepository`: the agent's branch goes to a fork and the pull request is opened on
 * the upstream from `forkOwner:branch`, so the upstream's CI secrets never run the agent's
 * code. Real git (bare remotes for the upstream and the fork), the real octokit against
 * the fake GitHub over HTTP, the real Codex binary driven by the scripted model. GitHub's
 * check webhooks on a fork's head name neither the branch nor the pull request: the
 * server matches them by the head commit it pushed.
 */
const SECRETS = {
  codexKey: "sk-fork-secret-51c0",
  githubToken: "ghp_forkSecret0123456789",
  jiraToken: "jira-fork-secret-31",
  serviceToken: "svc-token-fork-0123456789",
  githubWebhook: "gh-webhook-secret-fork-0123",
};

const tmp = new TempDirs();
let upstream: BareRepo;
let forkBare: string;
let world: PipelineServer;
let github: FakeGitHub;

beforeAll(async () => {
  const forked = await makeForkedRepo(tmp);
  ({ upstream, forkBare } = forked);
  world = await startPipelineServer({
    repos: [forked.repo],
    tickets: [
      { key: "CALC-7", summary: "sum() returns the difference", description: "2+3=-1" },
      { key: "CALC-9", summary: "sum() is wrong again", description: "sum(1, 1) is 0." },
    ],
    scripts: [pipelineScript("CALC-7"), afterPrScript("CALC-9")],
    // An engineer: clicks, sends follow-ups.
    apiTokens: [
      {
        token: SECRETS.serviceToken,
        user: { email: "eve@acme.test", name: "Eve", role: "engineer" },
      },
    ],
    secrets: SECRETS,
    config: { hooks: afterPrHooks(SECRETS.githubWebhook) },
  });
  ({ github } = world);
  github.setWebhook({
    url: `${world.server.url}/api/webhooks/github`,
    secret: SECRETS.githubWebhook,
  });
}, 60_000);

afterAll(async () => {
  await world?.close();
  await tmp.cleanup();
});

/** The pull request as GitHub's REST API answers it now (its head re-read from the fork). */
async function pullFromApi(number: number): Promise<{ head: { sha: string; label: string } }> {
  const res = await fetch(`${github.url}/repos/acme/calc/pulls/${number}`, {
    headers: { Authorization: `token ${SECRETS.githubToken}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { head: { sha: string; label: string } };
}

describe("pushing the agent's branch to a fork", () => {
  it("pushes codex/* to the fork only and opens the pull request on upstream from fork-owner:branch", async () => {
    const res = await world.api("/api/tasks", {
      method: "POST",
      body: JSON.stringify({ ticketKey: "CALC-7" }),
    });
    expect(res.status).toBe(202);
    const created = TaskResponseSchema.parse(await res.json()).task;
    const task = await world.waitForTask(created.id);
    expect(task.error).toBeNull();
    expect(task).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });

    const branch = task.branch ?? "";
    expect(branch).toBe("codex/calc-7-sum-returns-the-difference");
    // On the fork, with the fix; never on the upstream.
    expect(git(forkBare, "show", `${branch}:src/sum.js`)).toContain("return a + b;");
    expect(branchTip(upstream.bare, branch)).toBe("");
    expect(git(upstream.bare, "for-each-ref", "--format=%(refname)", "refs/heads/")).toBe(
      "refs/heads/main",
    );

    expect(github.pullRequests(FORK)).toEqual([]);
    const [pr, ...more] = github.pullRequests("acme/calc");
    expect(more).toEqual([]);
    expect(pr).toMatchObject({
      head: { label: `calc-bot:${branch}`, ref: branch, repo: { full_name: FORK } },
      base: { ref: "main", repo: { full_name: "acme/calc" } },
      draft: false,
    });
    expect(pr?.head.sha).toBe(branchTip(forkBare, branch));
    expect(task.pullRequest).toEqual({ url: pr?.html_url, number: pr?.number, draft: false });
    // The pull request was looked up by the fork's head before it was opened.
    expect(
      github.requests.some(
        (r) =>
          r.method === "GET" &&
          r.path.startsWith("/repos/acme/calc/pulls?") &&
          r.path.includes(`head=${encodeURIComponent(`calc-bot:${branch}`)}`),
      ),
    ).toBe(true);
    // GitHub keeps a fork pull request's head in the upstream as refs/pull/N/head.
    expect(git(upstream.bare, "rev-parse", `refs/pull/${pr?.number}/head`)).toBe(pr?.head.sha);
  }, 180_000);

  it("pushes a follow-up to the fork's branch and the same pull request", async () => {
    const listed = await world.api("/api/tasks?ticketKey=CALC-7");
    const { tasks } = (await listed.json()) as { tasks: { id: string; branch: string | null }[] };
    const [first] = tasks;
    if (!first) throw new Error("the first test's task is missing");
    const branch = first.branch ?? "";
    const before = branchTip(forkBare, branch);
    const res = await world.api(`/api/tasks/${first.id}/messages`, {
      method: "POST",
      body: JSON.stringify({ message: "also add a regression test" }),
    });
    expect(res.status).toBe(202);
    const done = await world.waitForTask(first.id, 2);
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened" });

    const after = branchTip(forkBare, branch);
    expect(after).not.toBe(before);
    // A fast-forward of what was published: the follow-up built on the pushed commit.
    expect(git(forkBare, "rev-parse", `${after}^`)).toBe(before);
    expect(git(forkBare, "ls-tree", "--name-only", "-r", branch)).toContain(
      "test/sum-regression.test.js",
    );
    expect(branchTip(upstream.bare, branch)).toBe("");
    const prs = github.pullRequests("acme/calc");
    expect(prs.map((pr) => pr.number)).toEqual([done.pullRequest?.number]);
    const pr = await pullFromApi(done.pullRequest?.number ?? 0);
    expect(pr.head).toMatchObject({ sha: after, label: `calc-bot:${branch}` });
    const comments = github.comments("acme/calc", done.pullRequest?.number ?? 0);
    expect(comments.filter((c) => c.body.includes("also add a regression test"))).toHaveLength(1);
  }, 180_000);
});

describe("CI on a pull request from the fork", () => {
  it("matches the fork head's failing check by commit, pushes the round to the fork, then marks it ready", async () => {
    const res = await world.api("/api/tasks", {
      method: "POST",
      body: JSON.stringify({ ticketKey: "CALC-9" }),
    });
    expect(res.status).toBe(202);
    const taskId = TaskResponseSchema.parse(await res.json()).task.id;
    const first = await world.waitForTask(taskId, 1);
    expect(first).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect(first.pullRequest?.draft).toBe(true);
    const number = first.pullRequest?.number ?? 0;
    const branch = first.branch ?? "";
    const firstHead = branchTip(forkBare, branch);
    expect(firstHead).toMatch(/^[0-9a-f]{40}$/);

    const delivery = await github.addCheckRun("acme/calc", number, {
      name: "test (node 20)",
      conclusion: "failure",
      title: "1 test failed",
      summary: "sum adds: expected 5, got -1",
      log: "not ok 1 - sum adds",
    });
    // As GitHub sends it for a fork's head: no branch, no pull request, only the commit.
    const sent = JSON.parse(delivery?.body ?? "{}") as {
      check_run: { head_sha: string; pull_requests: unknown[]; check_suite: { head_branch: null } };
    };
    expect(sent.check_run).toMatchObject({
      head_sha: firstHead,
      pull_requests: [],
      check_suite: { head_branch: null },
    });
    expect(JSON.parse(delivery?.response ?? "{}")).toEqual({ status: "round_started" });

    const fixed = await world.waitForTask(taskId, 2);
    expect(fixed).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    const newHead = branchTip(forkBare, branch);
    expect(git(forkBare, "rev-parse", `${newHead}^`)).toBe(firstHead);
    expect(git(forkBare, "show", `${branch}:src/sum.js`)).toContain("return a + b;");
    expect(branchTip(upstream.bare, branch)).toBe("");
    expect(github.pullRequests("acme/calc").filter((pr) => pr.head.ref === branch)).toHaveLength(1);

    const green = await github.addCheckRun("acme/calc", number, {
      name: "test (node 20)",
      conclusion: "success",
    });
    expect(JSON.parse(green?.response ?? "{}")).toEqual({ status: "marked_ready" });
    expect(github.pullRequests("acme/calc").find((pr) => pr.number === number)).toMatchObject({
      draft: false,
      head: { sha: newHead, repo: { full_name: FORK } },
    });
  }, 240_000);
});

describe("a fork's branch in the git workspaces", () => {
  it("continues the fork's branch after the worktree is gone, and pushes there", async () => {
    const world = await makeWorkspacesWorld(tmp, { "README.md": "# demo\n" });
    const fork = await forkOf(tmp, world.remote.bare);
    const repo = { ...world.repo, pushRepository: FORK, pushUrl: fork };
    const branch = "codex/calc-9-fork";
    const author = { name: "Patchboard", email: "patchboard@example.test" };

    const first = await world.workspaces.prepare(repo, "task-fork-1", branch);
    await writeFile(path.join(first.path, "a.txt"), "one\n");
    await world.workspaces.stage(first);
    const pushed = await world.workspaces.commitStaged(first, "first", author);
    await world.workspaces.push(repo, first);
    expect(branchTip(fork, branch)).toBe(pushed);
    expect(branchTip(world.remote.bare, branch)).toBe("");
    await world.workspaces.remove("task-fork-1");

    // A re-run of the ticket starts from what the fork holds, so its push fast-forwards.
    const again = await world.workspaces.prepare(repo, "task-fork-2", branch);
    expect(git(again.path, "rev-parse", "HEAD")).toBe(pushed);
    await writeFile(path.join(again.path, "b.txt"), "two\n");
    await world.workspaces.stage(again);
    const second = await world.workspaces.commitStaged(again, "second", author);
    await world.workspaces.push(repo, again);
    expect(branchTip(fork, branch)).toBe(second);
    expect(git(fork, "rev-parse", `${second ?? ""}^`)).toBe(pushed);
    expect(branchTip(world.remote.bare, branch)).toBe("");
    await world.workspaces.remove("task-fork-2");
  }, 60_000);
});
