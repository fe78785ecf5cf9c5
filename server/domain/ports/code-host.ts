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

/** An open pull request, as the nightly review sees it. */
export interface OpenPullRequest {
  /** `owner/name` of the base repository. */
  repo: string;
  number: number;
  title: string;
  /** The pull request's page. */
  url: string;
  author: string | null;
  draft: boolean;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** ISO 8601. */
  updatedAt: string;
}

/**
 * The code host (GitHub). Errors are thrown as AppError with `github_auth` or
 * `github_unavailable`.
 */
export interface CodeHost {
  /** The open pull request whose head is this branch, if any (publishing is idempotent). */
  findPullRequest(repo: string, head: string): Promise<PullRequest | null>;
  createPullRequest(input: NewPullRequest): Promise<PullRequest>;
  /**
   * Turns a draft pull request into one ready for review; answers one that is already
   * ready, closed or merged as it is.
   */
  markReadyForReview(repo: string, number: number): Promise<PullRequest>;
  /** Asks these logins to review; unknown logins are logged and skipped, not fatal. */
  requestReviewers(repo: string, number: number, reviewers: string[]): Promise<void>;
  /** Adds a conversation comment to a pull request. */
  comment(repo: string, number: number, body: string): Promise<void>;
  /** Open pull requests updated at or after `updatedSince`, most recently updated first. */
  listOpenPullRequests(repo: string, updatedSince: Date): Promise<OpenPullRequest[]>;
  /** The unified diff of a pull request against its base (`base...head`). */
  getPullRequestDiff(repo: string, number: number): Promise<string>;
  /** Calls the host once to check the credentials. */
  checkAccess(): Promise<void>;
}
