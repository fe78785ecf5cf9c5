import { Octokit } from "@octokit/rest";
import type { Logger } from "pino";
import type { PullRequest } from "../../../shared/task.js";
import type { CodeHost, NewPullRequest } from "../../domain/ports/code-host.js";
import { AppError } from "../../domain/app-error.js";
import { toPullRequest } from "./github-call-context.js";
import { githubMessage, hasStatus, toGitHubError } from "./github-errors.js";
import { checkReads } from "./check-reads.js";
import { pullRequestReads } from "./pull-request-reads.js";
import { readyForReview } from "./ready-for-review.js";
import { DEFAULT_RETRY, withRetry, type RetryOptions } from "./retry.js";

/** Options of {@link createGitHubHost}. */
export interface GitHubHostOptions {
  /** A GitHub token (PAT or installation token); never logged. */
  token: string;
  /** The REST API root: `https://api.github.com`, or `https://ghe.example.com/api/v3` for Enterprise. */
  apiUrl: string;
  logger: Logger;
  /** Overrides of {@link DEFAULT_RETRY}; tests pass tiny delays or their own `sleep`. */
  retry?: Partial<RetryOptions>;
  /** Aborts one HTTP request after this long (it then counts as a transient failure). */
  timeoutMs?: number;
}

/**
 * The code host on GitHub's REST API through `@octokit/rest` — the only module that
 * talks to GitHub over HTTP. Transient failures are retried with backoff; everything
 * else surfaces as AppError `github_auth` or `github_unavailable`.
 */
export function createGitHubHost(options: GitHubHostOptions): CodeHost {
  const logger = options.logger;
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ""),
    userAgent: "patchboard",
    // octokit logs every request at info and would otherwise write to the console.
    log: {
      debug: (detail: string) => logger.debug({ detail }, "octokit request"),
      info: (detail: string) => logger.debug({ detail }, "octokit request"),
      warn: (detail: string) => logger.warn({ detail }, "octokit warning"),
      error: (detail: string) => logger.error({ detail }, "octokit error"),
    },
  });
  /** Per-request options: a fresh timeout for every attempt. */
  const request = () => ({ request: { signal: AbortSignal.timeout(timeoutMs) } });
  const is422 = (error: unknown) => hasStatus(error, 422);

  async function findPullRequest(repo: string, head: string): Promise<PullRequest | null> {
    const { owner, name } = splitRepo(repo);
    const { data } = await withRetry(
      `look up the pull request of ${head} in ${repo}`,
      () =>
        octokit.pulls.list({
          owner,
          repo: name,
          state: "open",
          // GitHub filters by `owner:branch`; a fork's head comes with its owner already.
          head: head.includes(":") ? head : `${owner}:${head}`,
          per_page: 1,
          ...request(),
        }),
      retry,
      logger,
    );
    const found = data[0];
    return found ? toPullRequest(found) : null;
  }

  async function createPullRequest(input: NewPullRequest): Promise<PullRequest> {
    const { owner, name } = splitRepo(input.repo);
    const what = `open a pull request for ${input.head} in ${input.repo}`;
    try {
      const { data } = await withRetry(
        what,
        () =>
          octokit.pulls.create({
            owner,
            repo: name,
            head: input.head,
            base: input.base,
            title: input.title,
            body: input.body,
            draft: input.draft,
            ...request(),
          }),
        retry,
        logger,
        is422,
      );
      logger.info(
        { repo: input.repo, number: data.number, draft: input.draft },
        "github pull request created",
      );
      return toPullRequest(data);
    } catch (error) {
      if (!is422(error)) throw error;
      const message = githubMessage(error);
      // Publishing again (a retry, or a lost response to our own create) must not fail.
      if (/pull request already exists/i.test(message)) {
        const existing = await findPullRequest(input.repo, input.head);
        if (existing) {
          logger.info(
            { repo: input.repo, number: existing.number },
            "github pull request already open",
          );
          return existing;
        }
      }
      // Draft pull requests need a paid plan on private repositories; an open one beats none.
      if (input.draft && /draft pull requests are not supported/i.test(message)) {
        logger.warn(
          { repo: input.repo },
          "github drafts unsupported, opening a ready pull request",
        );
        return createPullRequest({ ...input, draft: false });
      }
      throw toGitHubError({ kind: "rejected", status: 422, message }, what, error);
    }
  }

  async function requestReviewers(
    repo: string,
    number: number,
    reviewers: string[],
  ): Promise<void> {
    const { owner, name } = splitRepo(repo);
    const logins = [...new Set(reviewers.map((login) => login.trim()).filter(Boolean))];
    if (logins.length === 0) return;
    const ask = (batch: string[]) =>
      withRetry(
        `request reviews on ${repo}#${number}`,
        () =>
          octokit.pulls.requestReviewers({
            owner,
            repo: name,
            pull_number: number,
            reviewers: batch,
            ...request(),
          }),
        retry,
        logger,
        is422,
      );
    try {
      await ask(logins);
      return;
    } catch (error) {
      if (!is422(error)) throw error;
    }
    // GitHub refuses the whole batch when one login is not a collaborator (or is the
    // author); asking one by one keeps the valid reviewers.
    for (const login of logins) {
      try {
        await ask([login]);
      } catch (error) {
        if (!is422(error)) throw error;
        logger.warn(
          { repo, number, reviewer: login, reason: githubMessage(error) },
          "github reviewer skipped",
        );
      }
    }
  }

  return {
    findPullRequest,
    createPullRequest,
    requestReviewers,
    ...pullRequestReads({ octokit, retry, logger, request, splitRepo }),
    ...readyForReview({ octokit, retry, logger, request, splitRepo }),
    ...checkReads({ octokit, retry, logger, request, splitRepo }),

    async comment(repo, number, body) {
      const { owner, name } = splitRepo(repo);
      await withRetry(
        `comment on ${repo}#${number}`,
        () =>
          octokit.issues.createComment({
            owner,
            repo: name,
            issue_number: number,
            body,
            ...request(),
          }),
        retry,
        logger,
      );
    },

    async checkAccess() {
      const { data } = await withRetry(
        "check the GitHub token",
        () => octokit.users.getAuthenticated(request()),
        retry,
        logger,
      );
      logger.info({ login: data.login }, "github token accepted");
    },
  };
}

function splitRepo(repo: string): { owner: string; name: string } {
  const [owner, name, ...rest] = repo.split("/");
  if (!owner || !name || rest.length > 0) {
    throw new AppError("internal", `Not a GitHub repository name (owner/name): ${repo}`);
  }
  return { owner, name };
}
