import { randomUUID } from "node:crypto";
import type { Usage } from "../../../shared/agent-event.js";
import {
  PullRequestReviewSchema,
  type PullRequestReview,
  type ReviewResult,
  type ReviewTicket,
} from "../../../shared/review.js";
import { AppError, isAppError } from "../app-error.js";
import { parseStructuredOutput } from "../structured-output.js";
import type { OpenPullRequest } from "../ports/code-host.js";
import type { RepoConfig } from "../repo-config.js";
import type { ReviewDeps } from "./review-deps.js";
import { findTicketKey, reviewPrompt } from "./review-text.js";

/** No tokens. */
const ZERO_USAGE: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

/**
 * Reviews one pull request and returns its result; never throws. The agent turn runs in
 * a throwaway read-only worktree of the pull request's head, inside one of the shared
 * agent slots, and its answer must match {@link PullRequestReviewSchema}.
 */
export async function reviewPullRequest(
  deps: ReviewDeps,
  repo: RepoConfig,
  pr: OpenPullRequest,
  signal: AbortSignal,
): Promise<ReviewResult> {
  const startedAt = deps.now().toISOString();
  const log = deps.logger.child({ repo: pr.repo, pr: pr.number });
  const ticket = await lookUpTicket(deps, pr);
  let usage: Usage = ZERO_USAGE;
  const base = {
    repo: pr.repo,
    prNumber: pr.number,
    title: pr.title,
    url: pr.url,
    author: pr.author,
    headRef: pr.headRef,
    headSha: pr.headSha,
    baseRef: pr.baseRef,
    ticket,
    startedAt,
  };
  try {
    const review = await deps.slots.run("review", signal, async () => {
      if (signal.aborted) throw abortError(signal);
      const turn = await runReviewTurn(deps, repo, pr, signal);
      // Counted before validation: a turn that answered badly still spent its tokens.
      usage = turn.usage;
      return parseReview(turn.finalResponse, pr, deps);
    });
    log.info({ risk: review.risk_level, usage }, "pull request reviewed");
    return {
      ...base,
      status: "reviewed",
      review,
      error: null,
      usage,
      finishedAt: deps.now().toISOString(),
    };
  } catch (error) {
    const appError = toReviewError(error, signal);
    log.warn({ code: appError.code, err: appError }, "pull request review failed");
    return {
      ...base,
      status: "failed",
      review: null,
      error: { code: appError.code, message: appError.message },
      usage,
      finishedAt: deps.now().toISOString(),
    };
  }
}

async function runReviewTurn(
  deps: ReviewDeps,
  repo: RepoConfig,
  pr: OpenPullRequest,
  signal: AbortSignal,
): Promise<{ finalResponse: string; usage: Usage }> {
  // A fresh id per review: a failed run's worktree can never be mistaken for this one's.
  const checkoutId = `review-${randomUUID()}`;
  const workspace = await deps.checkouts.checkoutPullRequest(repo, checkoutId, pr);
  try {
    const diff = await deps.codeHost.getPullRequestDiff(pr.repo, pr.number);
    const deadline = AbortSignal.timeout(deps.settings.turnTimeoutMs);
    const turnSignal = AbortSignal.any([signal, deadline]);
    let result;
    try {
      result = await deps.agent.runTurn({
        taskId: checkoutId,
        threadId: null,
        workingDirectory: workspace.path,
        prompt: reviewPrompt(pr, diff, workspace.baseSha),
        sandbox: "read-only",
        outputSchema: PullRequestReviewSchema,
        signal: turnSignal,
        // Reviews are not streamed anywhere; the final answer is all that is kept.
        onEvent: () => Promise.resolve(),
      });
    } catch (error) {
      if (deadline.aborted && !signal.aborted) {
        throw new AppError(
          "codex_timeout",
          `The review took longer than ${Math.round(deps.settings.turnTimeoutMs / 60_000)} minutes`,
          { cause: error },
        );
      }
      throw error;
    }
    return { finalResponse: result.finalResponse, usage: result.usage };
  } finally {
    await deps.checkouts.remove(checkoutId).catch((error: unknown) => {
      deps.logger.warn({ checkoutId, err: error }, "review worktree not removed");
    });
  }
}

/**
 * Validates the agent's answer. The pull request's number and title are GitHub's, not
 * the model's: a review is filed under the pull request it was run on, whatever it says.
 */
function parseReview(text: string, pr: OpenPullRequest, deps: ReviewDeps): PullRequestReview {
  const review = parseStructuredOutput(text, PullRequestReviewSchema, "The review");
  if (review.pr_number !== pr.number) {
    deps.logger.warn(
      { repo: pr.repo, pr: pr.number, answered: review.pr_number },
      "review named another pull request",
    );
  }
  return { ...review, pr_number: pr.number, title: pr.title };
}

/** The Jira ticket the pull request names, with its status; Jira failing only loses the status. */
async function lookUpTicket(deps: ReviewDeps, pr: OpenPullRequest): Promise<ReviewTicket | null> {
  const key = findTicketKey(pr, deps.repos.projects());
  if (key === null) return null;
  const fallback = { key, url: `${deps.settings.jiraBaseUrl}/browse/${key}`, status: null };
  try {
    const issue = await deps.tracker.getIssue(key);
    return issue ? { key: issue.key, url: issue.url, status: issue.status } : fallback;
  } catch (error) {
    deps.logger.warn({ key, err: error }, "review ticket lookup failed");
    return fallback;
  }
}

function abortError(signal: AbortSignal): AppError {
  return isAppError(signal.reason)
    ? signal.reason
    : new AppError("interrupted", "The review run was stopped before this pull request");
}

function toReviewError(error: unknown, signal: AbortSignal): AppError {
  if (signal.aborted) return abortError(signal);
  return isAppError(error)
    ? error
    : new AppError("internal", "The review failed unexpectedly; the server log has the details", {
        cause: error,
      });
}
