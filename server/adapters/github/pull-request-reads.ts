import type { CodeHost, OpenPullRequest } from "../../domain/ports/code-host.js";
import { AppError } from "../../domain/app-error.js";
import type { GitHubCallContext } from "./github-call-context.js";
import { withRetry } from "./retry.js";

/** The fields of GitHub's pull request list items this module reads. */
interface PullListItem {
  number: number;
  title: string;
  html_url: string;
  draft?: boolean | null;
  updated_at: string;
  user: { login: string } | null;
  body?: string | null;
  head: { ref: string; sha: string; repo?: { full_name: string } | null };
  base: { ref: string };
}

const PER_PAGE = 100;
/** A safety stop: a repository with more open pull requests than this is reviewed in part. */
const MAX_PAGES = 20;

/**
 * The nightly review's reads: open pull requests updated in a window, and a pull
 * request's diff. Kept apart from the write-side of the host (publishing fixes).
 */
export function pullRequestReads(
  ctx: GitHubCallContext,
): Pick<CodeHost, "listOpenPullRequests" | "getPullRequestDiff"> {
  const { octokit, retry, logger, request, splitRepo } = ctx;

  return {
    async listOpenPullRequests(repo, updatedSince) {
      const { owner, name } = splitRepo(repo);
      const since = updatedSince.getTime();
      const found: OpenPullRequest[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { data } = await withRetry(
          `list the open pull requests of ${repo}`,
          () =>
            octokit.pulls.list({
              owner,
              repo: name,
              state: "open",
              sort: "updated",
              direction: "desc",
              per_page: PER_PAGE,
              page,
              ...request(),
            }),
          retry,
          logger,
        );
        const items = data as PullListItem[];
        const recent = items.filter((pr) => Date.parse(pr.updated_at) >= since);
        found.push(...recent.map((pr) => toOpenPullRequest(repo, pr)));
        // Sorted by update time, a page with nothing recent means no later page has any.
        if (items.length < PER_PAGE || recent.length === 0) break;
      }
      found.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
      logger.info({ repo, count: found.length }, "github open pull requests listed");
      return found;
    },

    async getPullRequestDiff(repo, number) {
      const { owner, name } = splitRepo(repo);
      const { data } = await withRetry(
        `read the diff of ${repo}#${number}`,
        () =>
          octokit.pulls.get({
            owner,
            repo: name,
            pull_number: number,
            mediaType: { format: "diff" },
            ...request(),
          }),
        retry,
        logger,
      );
      // With the diff media type GitHub answers text, which octokit's types do not know.
      const body: unknown = data;
      if (typeof body === "string") return body;
      throw new AppError(
        "github_unavailable",
        `GitHub did not answer a diff for ${repo}#${number}; check GITHUB_API_URL.`,
      );
    },
  };
}

function toOpenPullRequest(repo: string, pr: PullListItem): OpenPullRequest {
  return {
    repo,
    number: pr.number,
    title: pr.title,
    url: pr.html_url,
    author: pr.user?.login ?? null,
    draft: pr.draft ?? false,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    updatedAt: pr.updated_at,
    body: pr.body ?? "",
    // A deleted fork leaves no head repository: still not this one.
    fromFork: pr.head.repo?.full_name.toLowerCase() !== repo.toLowerCase(),
    headRepository: pr.head.repo?.full_name ?? null,
  };
}
