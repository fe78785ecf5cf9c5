import type { PullRequest } from "../../../shared/task.js";

/** What is needed to open a pull request. */
export interface NewPullRequest {
  /** `owner/name` */
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}

/**
 * The code host (GitHub). Errors are thrown as AppError with `github_auth` or
 * `github_unavailable`.
 */
export interface CodeHost {
  /** The open pull request whose head is this branch, if any (publishing is idempotent). */
  findPullRequest(repo: string, head: string): Promise<PullRequest | null>;
  createPullRequest(input: NewPullRequest): Promise<PullRequest>;
  /** Asks these logins to review; unknown logins are logged and skipped, not fatal. */
  requestReviewers(repo: string, number: number, reviewers: string[]): Promise<void>;
  /** Adds a conversation comment to a pull request. */
  comment(repo: string, number: number, body: string): Promise<void>;
  /** Calls the host once to check the credentials. */
  checkAccess(): Promise<void>;
}
