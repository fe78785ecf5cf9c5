import { AppError } from "../../server/domain/app-error.js";
import { ReviewService } from "../../server/domain/reviews/review-service.js";
import { REVIEW_COMMENT_MARKER } from "../../server/domain/reviews/review-text.js";
import { CALC_REPO } from "../support/fakes/domain-harness.js";
import {
  openPr,
  prNumberOf,
  reviewHarness,
  reviewJson,
  type PromptAnswer,
} from "../support/review-fixtures.js";

const RISKS = { 1: "low", 2: "high", 3: "medium", 4: "high", 8: "low" } as const;

function answers(prompt: string): PromptAnswer {
  const n = prNumberOf(prompt);
  if (n === 5) return { error: new AppError("codex_unavailable", "The model API answered 500") };
  if (n === 6) return { final: "not json" };
  const risk = RISKS[n as keyof typeof RISKS];
  return { final: JSON.stringify(reviewJson(n, risk, { title: "whatever the model says" })) };
}

describe("ReviewService", () => {
  it("reviews every recent PR, survives failures, stores and posts them by risk", async () => {
    const h = await reviewHarness({ answer: answers, capacity: 2 });
    h.codeHost.openPulls.push(
      ...[1, 2, 3, 4, 5, 6].map((n) => openPr(n)),
      openPr(7, { updatedAt: "2025-12-30T00:00:00.000Z" }),
      openPr(8, { title: "CALC-12 guard against NaN", headRef: "utf-8-cleanup" }),
    );
    h.codeHost.diffs.set("acme/calc#2", "diff --git a/x b/x\n+danger\n");
    h.tracker.add({ key: "CALC-12", status: "In Review" });
    const service = new ReviewService(h.deps);

    const run = await service.runNow("cli");

    expect(run?.status).toBe("completed");
    expect(run?.reviewedCount).toBe(5);
    expect(run?.failedCount).toBe(2);
    // Six turns answered (the one with bad JSON too); the one the API refused spent nothing.
    expect(run?.usage).toEqual({ inputTokens: 600, cachedInputTokens: 60, outputTokens: 120 });
    expect(run?.slack).toBe("posted");
    expect(run?.results.map((r) => [r.prNumber, r.review?.risk_level ?? r.error?.code])).toEqual([
      [2, "high"],
      [4, "high"],
      [3, "medium"],
      [1, "low"],
      [8, "low"],
      [5, "codex_unavailable"],
      [6, "codex_failed"],
    ]);
    // GitHub's title wins over the model's; the ticket comes from the title, not "utf-8".
    const pr8 = run?.results.find((r) => r.prNumber === 8);
    expect(pr8?.review?.title).toBe("CALC-12 guard against NaN");
    expect(pr8?.ticket).toEqual({
      key: "CALC-12",
      url: "https://jira.example/browse/CALC-12",
      status: "In Review",
    });
    // Read-only turns, structured output, the diff in the prompt, within the shared limit.
    expect(h.agent.requests.every((r) => r.sandbox === "read-only" && r.outputSchema)).toBe(true);
    expect(h.agent.requests.find((r) => prNumberOf(r.prompt) === 2)?.prompt).toContain("+danger");
    expect(h.agent.maxConcurrent).toBe(2);
    expect(h.checkouts.removed.sort()).toEqual(
      h.checkouts.checkedOut.map((c) => c.checkoutId).sort(),
    );
    expect(h.notifier.digests).toHaveLength(1);
    expect(h.notifier.digests[0]?.results.map((r) => r.prNumber)).toEqual([2, 4, 3, 1, 8, 5, 6]);
    expect(await service.get(run!.id)).toEqual(run);
    expect(h.codeHost.comments).toEqual([]);
    await h.db.close();
  });

  it("reviews a fork's pull request only when REVIEW_FORKS is on", async () => {
    const h = await reviewHarness();
    h.codeHost.openPulls.push(openPr(1), openPr(2, { fromFork: true }));
    const off = await new ReviewService(h.deps).runNow("cli");
    expect(off?.results.map((r) => r.prNumber)).toEqual([1]);
    expect(h.checkouts.checkedOut.map((c) => c.pr.number)).toEqual([1]);

    h.deps.settings.reviewForks = true;
    const on = await new ReviewService(h.deps).runNow("cli");
    expect(on?.results.map((r) => r.prNumber).sort()).toEqual([1, 2]);
    await h.db.close();
  });

  it("reviews pull requests from its own pushRepository fork without REVIEW_FORKS", async () => {
    const h = await reviewHarness({
      repos: [
        { ...CALC_REPO, pushRepository: "calc-bot/calc", pushUrl: "file:///nowhere/fork.git" },
      ],
    });
    h.codeHost.openPulls.push(
      openPr(1, { fromFork: true, headRepository: "calc-bot/calc" }),
      openPr(2, { fromFork: true, headRepository: "mallory/calc" }),
      openPr(3, { fromFork: true, headRepository: null }),
    );
    const run = await new ReviewService(h.deps).runNow("cli");
    expect(run?.results.map((r) => r.prNumber)).toEqual([1]);
    await h.db.close();
  });

  it("comments on PRs when enabled and records Slack and listing failures without failing the run", async () => {
    const h = await reviewHarness({
      repos: [
        {
          jiraProject: "CALC",
          github: "acme/calc",
          baseBranch: "main",
          cloneUrl: "x",
          testCommand: null,
          reviewers: [],
        },
        {
          jiraProject: "SHOP",
          github: "acme/shop",
          baseBranch: "main",
          cloneUrl: "y",
          testCommand: null,
          reviewers: [],
        },
      ],
    });
    h.deps.settings.commentOnPr = true;
    h.codeHost.openPulls.push(openPr(1));
    h.codeHost.listErrors.set("acme/shop", new AppError("github_unavailable", "GitHub is down"));
    h.notifier.error = new AppError("slack_unavailable", "Slack refused it");
    const run = await new ReviewService(h.deps).runNow("schedule");

    expect(run?.status).toBe("completed");
    expect(run?.slack).toBe("failed");
    expect(run?.errors).toEqual([
      {
        scope: "repo",
        repo: "acme/shop",
        prNumber: null,
        code: "github_unavailable",
        message: "GitHub is down",
      },
      {
        scope: "slack",
        repo: null,
        prNumber: null,
        code: "slack_unavailable",
        message: "Slack refused it",
      },
    ]);
    expect(h.codeHost.comments).toHaveLength(1);
    expect(h.codeHost.comments[0]?.body).toContain(REVIEW_COMMENT_MARKER);
    expect(h.codeHost.comments[0]?.body).toContain("low risk");
    await h.db.close();
  });

  it("never overlaps: a second start while one runs is refused, and works again after", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const h = await reviewHarness();
    h.codeHost.openPulls.push(openPr(1));
    const slowList = h.codeHost.listOpenPullRequests.bind(h.codeHost);
    h.codeHost.listOpenPullRequests = async (repo, since) => {
      await gate;
      return slowList(repo, since);
    };
    const service = new ReviewService(h.deps);
    const other = new ReviewService(h.deps); // another process on the same database

    const [a, b] = await Promise.all([
      service.start("manual", "admin@acme.test"),
      other.start("schedule", null),
    ]);
    expect([a, b].filter((s) => s === null)).toHaveLength(1);
    await expect(service.startOrConflict("manual", "admin@acme.test")).rejects.toMatchObject({
      code: "conflict",
      status: 409,
    });
    release();
    await (a ?? b)?.done;
    expect(await service.runNow("manual", "admin@acme.test")).toMatchObject({
      status: "completed",
    });
    const { runs } = await service.list({ limit: 10 });
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed"]);
    await h.db.close();
  });

  it("takes over the lock of a run whose process died, and stops its own runs on shutdown", async () => {
    const h = await reviewHarness({ answer: () => ({ hang: true }) });
    h.codeHost.openPulls.push(openPr(1));
    const dead = await h.deps.store.startRun({
      id: "33333333-3333-4333-8333-333333333333",
      trigger: "schedule",
      triggeredBy: null,
      windowStart: "2026-01-01T00:00:00.000Z",
      startedAt: "2026-01-01T02:00:00.000Z",
      staleBefore: "2026-01-01T00:00:00.000Z",
    });
    expect(dead?.status).toBe("running");
    const service = new ReviewService(h.deps, { staleAfterMs: 10 * 60_000 });
    const started = await service.start("manual", "admin@acme.test");
    expect(started).not.toBeNull();
    expect(await service.get(dead!.id)).toMatchObject({
      status: "failed",
      errors: [expect.objectContaining({ code: "interrupted" })],
    });

    await new Promise((resolve) => setTimeout(resolve, 20));
    await service.stop();
    const stopped = await started!.done;
    expect(stopped.status).toBe("failed");
    expect(stopped.results[0]?.error?.code).toBe("interrupted");
    expect(stopped.errors.at(-1)?.code).toBe("interrupted");
    expect(h.notifier.digests).toHaveLength(0);
    await h.db.close();
  });
});
