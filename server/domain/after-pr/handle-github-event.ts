import type { TrackedPullRequest } from "../ports/pull-request-store.js";
import type { AfterPrDeps } from "./after-pr-deps.js";
import { evaluateChecks } from "./evaluate-checks.js";
import type { CodeHostEvent } from "./github-event.js";
import { recordPullRequestChange } from "./pull-request-changed.js";
import { handleReviewFeedback } from "./review-feedback.js";

/**
 * Acts on one GitHub event about a pull request Patchboard opened; events about any
 * other pull request are ignored. Answers what it did, in a word, for the webhook's
 * response and the logs.
 */
export async function handleGitHubEvent(deps: AfterPrDeps, event: CodeHostEvent): Promise<string> {
  switch (event.kind) {
    case "checks": {
      const tracked = await findTracked(deps, event.repo, event.sha, event.numbers, event.branches);
      return tracked === null ? "not_patchboard" : evaluateChecks(deps, tracked, event.sha);
    }
    case "feedback": {
      const tracked = await deps.pullRequests.find(event.repo, event.number);
      if (tracked === null) return "not_patchboard";
      const task = await deps.store.get(tracked.taskId);
      // A review's line comments come with it; a line comment brings its own place.
      const lines =
        event.feedback === "review" && task !== null
          ? (await deps.codeHost.listReviewComments(task.repo, event.number)).filter(
              (c) => c.reviewId === event.id,
            )
          : event.line === null
            ? []
            : [
                {
                  id: event.id,
                  author: event.author,
                  body: event.body,
                  reviewId: null,
                  ...event.line,
                },
              ];
      return handleReviewFeedback(deps, tracked, {
        kind: event.feedback === "review" ? "review" : "comment",
        id: event.id,
        author: event.author,
        body: event.feedback === "line_comment" ? "" : event.body,
        lines,
      });
    }
    case "pull_request": {
      const tracked = await deps.pullRequests.find(event.repo, event.number);
      if (tracked === null) return "not_patchboard";
      return recordPullRequestChange(deps, tracked, { state: event.state, at: event.at });
    }
  }
}

async function findTracked(
  deps: AfterPrDeps,
  repo: string,
  sha: string,
  numbers: number[],
  branches: string[],
): Promise<TrackedPullRequest | null> {
  for (const number of numbers) {
    const found = await deps.pullRequests.find(repo, number);
    if (found !== null) return found;
  }
  for (const branch of branches) {
    const found = await deps.pullRequests.findByBranch(repo, branch);
    if (found !== null) return found;
  }
  // A check on a fork's head (pushRepository) names no branch and no pull request.
  return numbers.length === 0 && branches.length === 0
    ? deps.pullRequests.findByHeadSha(repo, sha)
    : null;
}
