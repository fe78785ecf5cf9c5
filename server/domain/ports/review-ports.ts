import type {
  ReviewResult,
  ReviewRun,
  ReviewRunDetail,
  ReviewRunError,
  ReviewRunListQuery,
  ReviewRunListResponse,
  ReviewTrigger,
  SlackDelivery,
} from "../../../shared/review.js";
import type { RepoConfig } from "../repo-config.js";
import type { Workspace } from "./workspaces.js";

/** What is needed to start a run. */
export interface NewReviewRun {
  id: string;
  trigger: ReviewTrigger;
  triggeredBy: string | null;
  windowStart: string;
  startedAt: string;
  /**
   * A `running` run whose heartbeat is older than this was left by a process that died:
   * it is ended `failed` (interrupted) instead of blocking every later run.
   */
  staleBefore: string;
}

/** How a run ended. */
export interface FinishedReviewRun {
  status: Exclude<ReviewRun["status"], "running">;
  finishedAt: string;
  slack: SlackDelivery;
  errors: ReviewRunError[];
}

/**
 * Durable storage of review runs. The "one run at a time" lock lives in the database
 * itself, so two server processes (or the server and `npm run review`) cannot overlap.
 */
export interface ReviewStore {
  /** Creates a `running` run; null when another run holds the lock. */
  startRun(run: NewReviewRun): Promise<ReviewRun | null>;
  /** Proves the run's process is alive (see {@link NewReviewRun.staleBefore}). */
  heartbeat(runId: string, at: string): Promise<void>;
  /** Stores one pull request's result and adds it to the run's counts and token usage. */
  saveResult(runId: string, result: ReviewResult): Promise<void>;
  /** Ends a running run; a no-op when it already ended. */
  finishRun(runId: string, finished: FinishedReviewRun): Promise<ReviewRunDetail | null>;
  getRun(runId: string): Promise<ReviewRunDetail | null>;
  /** Newest first, with an opaque cursor. */
  listRuns(query: ReviewRunListQuery): Promise<ReviewRunListResponse>;
}

/**
 * Which run reviews a pull request now, across every process on the database. The run
 * lock ({@link ReviewStore.startRun}) already keeps runs apart, but a run another process
 * took for dead (its heartbeat late, or clocks that disagree) may still be going: each run
 * takes a pull request's lock before reviewing it and keeps it until the run ends, so two
 * overlapping runs never review the same pull request.
 */
export interface ReviewLocks {
  /** One run's hold on pull requests; released at the run's end, or with its process. */
  forRun(): Promise<RunReviewLocks>;
}

/** The locks one review run holds. */
export interface RunReviewLocks {
  /** Takes the pull request's lock for this run; false when another run holds it. */
  tryLock(repo: string, prNumber: number): Promise<boolean>;
  /** Releases every lock the run took; safe to call more than once. */
  release(): Promise<void>;
}

/** The pull request to check out for a review. */
export interface PullRequestRef {
  number: number;
  headRef: string;
  headSha: string;
  baseRef: string;
}

/**
 * Working copies of other people's pull requests, for read-only reviews: a worktree at
 * the pull request's head, based at its merge base with the base branch.
 */
export interface PullRequestCheckouts {
  checkoutPullRequest(repo: RepoConfig, checkoutId: string, pr: PullRequestRef): Promise<Workspace>;
  /** Removes a checkout (the same as removing a task's worktree). */
  remove(checkoutId: string): Promise<void>;
}

/** A run's digest, highest risk first, for a chat channel. */
export interface ReviewDigest {
  run: Pick<ReviewRun, "id" | "trigger" | "windowStart" | "startedAt" | "errors">;
  windowHours: number;
  results: ReviewResult[];
}

/** Where a run's digest is posted (Slack). Throws AppError `slack_unavailable`. */
export interface ReviewNotifier {
  postDigest(digest: ReviewDigest): Promise<void>;
}
