import path from "node:path";
import { pino } from "pino";
import type { TaskEvent } from "../../shared/index.js";
import { createMemoryRunGate } from "../../server/adapters/limits/memory-run-gate.js";
import {
  createPullRequestStore,
  createTaskStore,
  openSqliteDatabase,
  type Database,
} from "../../server/adapters/storage/index.js";
import type { AfterPrDeps } from "../../server/domain/after-pr/after-pr-deps.js";
import { answerChecksAfterRun } from "../../server/domain/after-pr/answer-after-run.js";
import { pollPullRequests } from "../../server/domain/after-pr/poll-pull-requests.js";
import { handleReviewFeedback } from "../../server/domain/after-pr/review-feedback.js";
import type { PullRequestStore } from "../../server/domain/ports/pull-request-store.js";
import type { TaskStore } from "../../server/domain/ports/task-store.js";
import { domainHarness } from "../support/fakes/domain-harness.js";
import { commitAndPush, git, TempDirs } from "../support/git-fixtures.js";
import {
  hostFor,
  startFakeGitHubFixture,
  type FakeGitHubFixture,
} from "../support/github-fixtures.js";
import { newFixTask } from "../support/task-store-contract.js";

/**
 * Where no webhook reaches the server: the poller reads the built-in GitHub over HTTP
 * (the real octokit adapter) and acts on the same facts a webhook brings, with the
 * pull requests and rounds in SQLite on disk. No webhook is configured on the fake, so
 * everything here was found by reading GitHub.
 */
const REPO = "acme/calc";
const BRANCH = "codex/calc-1-fix-sum";
const silent = pino({ level: "silent" });

const tmp = new TempDirs();
let fx: FakeGitHubFixture;
let db: Database;
let store: TaskStore;
let pullRequests: PullRequestStore;
let enqueued: string[];

afterEach(async () => {
  await store?.close();
  await fx?.github.close();
  await tmp.cleanup();
});

async function setUp(limits: { ci?: number; review?: number } = {}) {
  fx = await startFakeGitHubFixture(tmp, ["ada"]);
  const dir = await tmp.make("after-pr-db-");
  db = await openSqliteDatabase({ file: path.join(dir, "patchboard.db"), logger: silent });
  store = createTaskStore(db);
  pullRequests = createPullRequestStore(db);
  enqueued = [];
  const host = hostFor(fx.github, silent);
  const harness = domainHarness();
  const deps: AfterPrDeps = {
    ...harness.deps,
    store,
    codeHost: host,
    queue: { enqueue: (id) => void enqueued.push(id), abort: () => false },
    gate: createMemoryRunGate({ perWindow: 1_000 }),
    pullRequests,
    afterPr: {
      ciFixMaxRounds: limits.ci ?? 2,
      reviewMaxRounds: limits.review ?? 5,
      mention: "@patchboard",
      jiraTransitionOnMerge: null,
    },
  };

  // A task whose first run opened a draft pull request on GitHub.
  await commitAndPush(fx.remote, BRANCH, { "NOTES.md": "sum() needs a look\n" });
  const pr = await host.createPullRequest({
    repo: REPO,
    head: BRANCH,
    base: "main",
    title: "CALC-1: fix sum",
    body: "Fixes it.",
    draft: true,
  });
  const { task: created } = await store.create(newFixTask("CALC-1", { branch: BRANCH }));
  const task = await store.update(created.id, {
    status: "completed",
    phase: "done",
    outcome: "pr_opened",
    threadId: "thread-1",
    pullRequest: { ...pr, state: "open" },
  });
  await recordHead(task.id, pr, git(fx.remote.bare, "rev-parse", BRANCH));
  return { deps, task, pr };
}

/** Records that Patchboard pushed `headSha` to the pull request, as publishing does. */
async function recordHead(taskId: string, pr: { number: number; url: string }, headSha: string) {
  await pullRequests.recordPush({
    taskId,
    repo: REPO,
    number: pr.number,
    url: pr.url,
    branch: BRANCH,
    draft: true,
    headSha,
    at: new Date().toISOString(),
  });
}

async function requests(taskId: string): Promise<TaskEvent[]> {
  return (await store.listEvents(taskId)).filter((e) => e.type === "task.request");
}

describe("the poller against the built-in GitHub", () => {
  it("starts exactly one round for a check failure it finds, however often it polls", async () => {
    const { deps, task, pr } = await setUp();
    // No webhook: the fake records the check and delivers nothing.
    expect(
      await fx.github.addCheckRun(REPO, pr.number, {
        name: "test (node 20)",
        conclusion: "failure",
        title: "1 test failed",
        summary: "sum adds: expected 5, got -1",
      }),
    ).toBeNull();

    // Two polls at once (a slow poll and the next tick) and one more afterwards.
    const polls = await Promise.all([pollPullRequests(deps), pollPullRequests(deps)]);
    polls.push(await pollPullRequests(deps));
    expect(polls).toEqual([1, 2, 3].map(() => ({ polled: 1, failed: 0 })));

    expect(enqueued).toEqual([task.id]);
    const rounds = await pullRequests.rounds(task.id);
    expect(rounds.map((r) => [r.trigger, r.actor])).toEqual([["ci", "test (node 20)"]]);
    expect((await pullRequests.forTask(task.id))?.ciRounds).toBe(1);
    const asked = await requests(task.id);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.type === "task.request" && asked[0].payload).toMatchObject({
      action: "follow_up",
      source: "ci",
      by: "CI (test (node 20))",
    });
    const message = asked[0]?.type === "task.request" ? (asked[0].payload.message ?? "") : "";
    expect(message).toContain('Check "test (node 20)" — failure');
    expect(message).toContain("sum adds: expected 5, got -1");
    expect((await store.get(task.id))?.status).toBe("queued");
  });

  it("records a merge it finds and stops polling that pull request", async () => {
    const { deps, task, pr } = await setUp();
    await deps.codeHost.markReadyForReview(REPO, pr.number);
    await fx.github.closePullRequest(REPO, pr.number, true);
    expect(await pollPullRequests(deps)).toEqual({ polled: 1, failed: 0 });
    expect((await pullRequests.forTask(task.id))?.state).toBe("merged");
    expect((await store.get(task.id))?.pullRequest?.state).toBe("merged");
    expect(await pollPullRequests(deps)).toEqual({ polled: 0, failed: 0 });
    expect(enqueued).toEqual([]);
  });
});

describe("checks that complete while the task runs", () => {
  it("are kept on GitHub and answered when the run ends, once", async () => {
    const { deps, task, pr } = await setUp();
    await store.update(task.id, { status: "running", phase: "fixing" });
    await fx.github.addCheckRun(REPO, pr.number, { name: "lint", conclusion: "failure" });

    // While the run is busy nothing starts (the old code dropped the failure here).
    expect(await pollPullRequests(deps)).toEqual({ polled: 1, failed: 0 });
    expect(await pullRequests.rounds(task.id)).toEqual([]);
    expect(await answerChecksAfterRun(deps, task.id)).toBeNull();

    // The run ends without pushing: the failure on the head it left is answered.
    await store.update(task.id, { status: "completed", phase: "done" });
    expect(await answerChecksAfterRun(deps, task.id)).toBe("round_started");
    expect(enqueued).toEqual([task.id]);
    expect((await pullRequests.rounds(task.id)).map((r) => r.key)).toEqual([
      `ci:${git(fx.remote.bare, "rev-parse", BRANCH)}`,
    ]);

    // The round's own run ends on the same head: no second round for the same failure.
    await store.update(task.id, { status: "completed", phase: "done" });
    expect(await answerChecksAfterRun(deps, task.id)).toBe("round_duplicate");
    expect(enqueued).toEqual([task.id]);
    expect(await requests(task.id)).toHaveLength(1);
  });

  it("after a run that pushed a new head, waits for that head's checks", async () => {
    const { deps, task, pr } = await setUp();
    await fx.github.addCheckRun(REPO, pr.number, { name: "lint", conclusion: "failure" });
    const newHead = await commitAndPush(fx.remote, BRANCH, { "src/sum.js": "export {};\n" });
    await recordHead(task.id, pr, newHead);
    expect(await answerChecksAfterRun(deps, task.id)).toBe("no_checks");
    expect(enqueued).toEqual([]);
  });
});

describe("the review round limit", () => {
  it("answers the reviewer on the pull request instead of starting a round past REVIEW_MAX_ROUNDS", async () => {
    const { deps, task, pr } = await setUp({ review: 1 });
    const review = (id: number, author = "ada") => ({
      kind: "review" as const,
      id,
      author,
      body: "Please cover negative numbers.",
      lines: [],
    });
    const tracked = async () => {
      const found = await pullRequests.forTask(task.id);
      if (found === null) throw new Error("the pull request is not tracked");
      return found;
    };
    expect(await handleReviewFeedback(deps, await tracked(), review(1))).toBe("started");
    await store.update(task.id, { status: "completed", phase: "done" });

    expect(await handleReviewFeedback(deps, await tracked(), review(2))).toBe("round_limit");
    expect(enqueued).toEqual([task.id]);
    expect((await tracked()).reviewRounds).toBe(1);
    const reply = fx.github.comments(REPO, pr.number).at(-1)?.body ?? "";
    expect(reply).toContain("@ada: Patchboard has already answered 1 review round");
    expect(reply).toContain("REVIEW_MAX_ROUNDS");
    // A stranger still gets nothing, not even the reply.
    expect(await handleReviewFeedback(deps, await tracked(), review(3, "mallory"))).toBe(
      "no_write_access",
    );
    expect(fx.github.comments(REPO, pr.number)).toHaveLength(1);
  });
});
