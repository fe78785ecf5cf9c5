import type { PullRequest } from "../../../shared/task.js";
import type { CodeHost } from "../../domain/ports/code-host.js";
import { toGitHubError } from "./github-errors.js";
import { toPullRequest, type GitHubCallContext } from "./github-call-context.js";
import { withRetry } from "./retry.js";

/** GitHub has no REST call that turns a draft into a ready pull request; GraphQL has. */
const MARK_READY = `mutation MarkReady($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) {
    pullRequest { number isDraft url }
  }
}`;

/** The shape of `@octokit/graphql`'s GraphqlResponseError: HTTP 200 with `errors`. */
interface GraphqlErrors extends Error {
  errors?: { message?: string }[];
}

function isGraphqlError(error: unknown): error is GraphqlErrors {
  return error instanceof Error && error.name === "GraphqlResponseError";
}

/**
 * Marks a draft pull request ready for review, once a later turn made the tests pass.
 * It reads the pull request first: one that is already ready (a person may have done
 * it), closed or merged is answered as it is, with no mutation.
 */
export function readyForReview(ctx: GitHubCallContext): Pick<CodeHost, "markReadyForReview"> {
  const { octokit, retry, logger, request, splitRepo } = ctx;
  return {
    async markReadyForReview(repo, number): Promise<PullRequest> {
      const { owner, name } = splitRepo(repo);
      const { data } = await withRetry(
        `read ${repo}#${number}`,
        () => octokit.pulls.get({ owner, repo: name, pull_number: number, ...request() }),
        retry,
        logger,
      );
      const current = toPullRequest(data);
      if (!current.draft || data.state !== "open") return current;
      const what = `mark ${repo}#${number} ready for review`;
      try {
        await withRetry(
          what,
          () => octokit.graphql(MARK_READY, { id: data.node_id, ...request() }),
          retry,
          logger,
          isGraphqlError,
        );
      } catch (error) {
        if (!isGraphqlError(error)) throw error;
        // GraphQL answers 200 with errors: a definite refusal, not worth a retry.
        const message = (error.errors ?? []).map((e) => e.message ?? "").join("; ");
        throw toGitHubError({ kind: "rejected", status: 422, message }, what, error);
      }
      logger.info({ repo, number }, "github pull request marked ready");
      return { ...current, draft: false };
    },
  };
}
