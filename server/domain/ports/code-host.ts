import type { PullRequest } from "../../../shared/task.js";

/** What is needed to open a pull request. */
export interface NewPullRequest {
  /** `owner/name` */
  repo: string;
  /** A branch of `repo`, or `forkOwner:branch` for a branch pushed to a fork. */
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
  /** The description as its author wrote it (untrusted). */
  body?: string;
  /** Whether the head is in another repository (a fork): its author need not be a collaborator. */
  fromFork?: boolean;
  /** `owner/name` of the head's repository; null when that fork was deleted. */
  headRepository?: string | null;
}

/** A check (check run or commit status) on a commit that did not pass. */
export interface FailedCheck {
  name: string;
  /** `failure`, `timed_out`, `cancelled`, `action_required`, `error`… */
  conclusion: string;
  title: string | null;
  summary: string | null;
  text: string | null;
  annotations: { path: string; line: number; level: string; message: string }[];
  /** The tail of a GitHub Actions job's log; null for other checks. */
  logTail: string | null;
  url: string | null;
}

/** Every check on one commit: still running, failed, passed. */
export interface CheckReport {
  sha: string;
  /** Names of checks not completed yet. */
  pending: string[];
  failed: FailedCheck[];
  /** Names of checks that passed (or were neutral or skipped). */
  passed: string[];
}

/** What the poller and the outcome tracking read about one pull request. */
export interface PullRequestFacts {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  headRef: string;
  headSha: string;
  mergedAt: string | null;
  closedAt: string | null;
}

/** A review comment on a line of a pull request's diff. */
export interface ReviewLineComment {
  id: number;
  author: string;
  body: string;
  path: string;
  line: number | null;
  diffHunk: string;
  reviewId: number | null;
}

/** A person's access to a repository, as GitHub's collaborator permission API answers. */
export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/**
 * The code host (GitHub). Errors are thrown as AppError with `github_auth` or
 * `github_unavailable`.
 */
export interface CodeHost {
  /**
   * The open pull request whose head is this branch of `repo`, or `forkOwner:branch` of a
   * fork, if any (publishing is idempotent).
   */
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
  /** The checks and commit statuses on a commit, with what failed. */
  getCheckReport(repo: string, sha: string): Promise<CheckReport>;
  /** The pull request's state, head and draft flag. */
  getPullRequestFacts(repo: string, number: number): Promise<PullRequestFacts>;
  /** A login's permission on the repository (`none` for a stranger). */
  getPermission(repo: string, login: string): Promise<RepoPermission>;
  /** The review comments on the pull request's diff, oldest first. */
  listReviewComments(repo: string, number: number): Promise<ReviewLineComment[]>;
  /** Calls the host once to check the credentials. */
  checkAccess(): Promise<void>;
}
