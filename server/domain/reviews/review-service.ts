import { randomUUID } from "node:crypto";
import {
  sortByRisk,
  type ReviewResult,
  type ReviewRun,
  type ReviewRunDetail,
  type ReviewRunError,
  type ReviewRunListQuery,
  type ReviewRunListResponse,
  type ReviewTrigger,
  type SlackDelivery,
} from "../../../shared/review.js";
import { AppError, isAppError } from "../app-error.js";
import type { OpenPullRequest } from "../ports/code-host.js";
import { isOwnHead } from "../push-target.js";
import type { RunReviewLocks } from "../ports/review-ports.js";
import type { RepoConfig } from "../repo-config.js";
import type { ReviewDeps } from "./review-deps.js";
import { reviewPullRequest } from "./review-pull-request.js";
import { reviewComment } from "./review-text.js";

/** Timing of the database lock's liveness proof. */
export interface ReviewServiceOptions {
  /** How often a running run touches its heartbeat. */
  heartbeatMs?: number;
  /** A running run with no heartbeat for this long belonged to a dead process. */
  staleAfterMs?: number;
}

/** A run that was started: its first state, and a promise of its last. */
export interface StartedReviewRun {
  run: ReviewRunDetail;
  done: Promise<ReviewRunDetail>;
}

/**
 * The nightly review of open pull requests: one run at a time (a lock in the database),
 * every repository's recently updated pull requests reviewed by a read-only agent turn
 * each, results stored as they come, then a digest posted to Slack (and optionally a
 * comment on each pull request). A pull request that fails does not stop the others.
 */
export class ReviewService {
  readonly #deps: ReviewDeps;
  readonly #heartbeatMs: number;
  readonly #staleAfterMs: number;
  readonly #active = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  constructor(deps: ReviewDeps, options: ReviewServiceOptions = {}) {
    this.#deps = deps;
    this.#heartbeatMs = options.heartbeatMs ?? 30_000;
    this.#staleAfterMs = options.staleAfterMs ?? Math.max(5 * 60_000, this.#heartbeatMs * 4);
  }

  /**
   * Takes the lock and starts a run in the background; null when a run (of this or any
   * other process) is already going.
   */
  async start(
    trigger: ReviewTrigger,
    triggeredBy: string | null,
  ): Promise<StartedReviewRun | null> {
    const { store, settings, logger } = this.#deps;
    const now = this.#deps.now();
    const run = await store.startRun({
      id: randomUUID(),
      trigger,
      triggeredBy,
      windowStart: new Date(now.getTime() - settings.windowHours * 3_600_000).toISOString(),
      startedAt: now.toISOString(),
      staleBefore: new Date(now.getTime() - this.#staleAfterMs).toISOString(),
    });
    if (run === null) {
      logger.info({ trigger }, "review run skipped, another is running");
      return null;
    }
    logger.info({ runId: run.id, trigger, windowStart: run.windowStart }, "review run started");
    const controller = new AbortController();
    const done = this.#execute(run, controller.signal).finally(() => this.#active.delete(run.id));
    this.#active.set(run.id, { controller, done });
    // Run now does not wait for the run; a storage failure at its end must not go unhandled.
    done.catch((error: unknown) => {
      logger.error({ runId: run.id, err: error }, "review run not recorded");
    });
    return { run: { ...run, results: [] }, done };
  }

  /** Runs one pass to the end (the schedule, the CLI); null when another run is going. */
  async runNow(trigger: ReviewTrigger, triggeredBy: string | null = null) {
    const started = await this.start(trigger, triggeredBy);
    return started === null ? null : started.done;
  }

  /** Like {@link start}, but a held lock is a 409 for the API. */
  async startOrConflict(trigger: ReviewTrigger, triggeredBy: string | null) {
    const started = await this.start(trigger, triggeredBy);
    if (started === null) {
      throw new AppError("conflict", "A review run is already in progress; wait for it to finish");
    }
    return started;
  }

  /** Runs newest first. */
  list(query: ReviewRunListQuery): Promise<ReviewRunListResponse> {
    return this.#deps.store.listRuns(query);
  }

  /** One run with its results, highest risk first. */
  async get(id: string): Promise<ReviewRunDetail> {
    const run = await this.#deps.store.getRun(id);
    if (run === null) throw new AppError("not_found", "No such review run");
    return { ...run, results: sortByRisk(run.results) };
  }

  /** Stops this process's runs (shutdown): they end `failed`, interrupted. */
  async stop(): Promise<void> {
    const active = [...this.#active.values()];
    for (const { controller } of active) {
      controller.abort(new AppError("interrupted", "The server stopped during the review run"));
    }
    await Promise.allSettled(active.map((a) => a.done));
  }

  async #execute(run: ReviewRun, signal: AbortSignal): Promise<ReviewRunDetail> {
    const { store, logger } = this.#deps;
    const heartbeat = setInterval(() => {
      store.heartbeat(run.id, this.#deps.now().toISOString()).catch((error: unknown) => {
        logger.warn({ runId: run.id, err: error }, "review heartbeat failed");
      });
    }, this.#heartbeatMs);
    heartbeat.unref();
    const errors: ReviewRunError[] = [];
    let status: "completed" | "failed" = "completed";
    let slack: SlackDelivery = this.#deps.notifier ? "failed" : "disabled";
    let locks: RunReviewLocks | null = null;
    try {
      const work = await this.#listWork(run, errors);
      if (work.failedAll) status = "failed";
      const held = await this.#deps.locks.forRun();
      locks = held;
      const reviewed = await Promise.all(
        work.items.map(({ repo, pr }) =>
          this.#reviewIfFree(held, run.id, repo, pr, signal, errors),
        ),
      );
      const results = reviewed.filter((result) => result !== null);
      if (signal.aborted) throw signal.reason;
      const sorted = sortByRisk(results);
      await this.#comment(sorted, errors);
      slack = await this.#postDigest(run, sorted, errors);
    } catch (error) {
      status = "failed";
      const appError = isAppError(error)
        ? error
        : new AppError("internal", "The review run failed unexpectedly", { cause: error });
      if (!isAppError(error)) logger.error({ runId: run.id, err: error }, "review run crashed");
      errors.push(runError("run", null, null, appError));
    } finally {
      clearInterval(heartbeat);
      // Held until here, not per pull request: an overlapping run that lists the same
      // pull requests later must not review again what this run already did.
      await locks?.release().catch((error: unknown) => {
        logger.warn({ runId: run.id, err: error }, "review locks not released");
      });
    }
    const finished = await store.finishRun(run.id, {
      status,
      finishedAt: this.#deps.now().toISOString(),
      slack,
      errors,
    });
    logger.info(
      {
        runId: run.id,
        status,
        reviewed: finished?.reviewedCount,
        failed: finished?.failedCount,
        usage: finished?.usage,
        errors: errors.length,
      },
      "review run finished",
    );
    if (finished === null) throw new AppError("internal", "The review run vanished from storage");
    return { ...finished, results: sortByRisk(finished.results) };
  }

  /** Every configured repository's recently updated open pull requests. */
  async #listWork(run: ReviewRun, errors: ReviewRunError[]) {
    const { codeHost, repos } = this.#deps;
    const items: { repo: RepoConfig; pr: OpenPullRequest }[] = [];
    const configured = repos.list();
    let failed = 0;
    for (const repo of configured) {
      try {
        const prs = await codeHost.listOpenPullRequests(repo.github, new Date(run.windowStart));
        // A fork's pull request is anyone's text and code: reviewed only when asked for.
        // The fork Patchboard pushes to (pushRepository) is ours, not a stranger's.
        const reviewable = prs.filter(
          (pr) =>
            pr.fromFork !== true ||
            this.#deps.settings.reviewForks ||
            (pr.headRepository != null && isOwnHead(repo, pr.headRepository)),
        );
        items.push(...reviewable.map((pr) => ({ repo, pr })));
      } catch (error) {
        failed += 1;
        errors.push(runError("repo", repo.github, null, error));
      }
    }
    return { items, failedAll: configured.length > 0 && failed === configured.length };
  }

  /** Reviews the pull request unless another run (of any process) holds it: null then. */
  async #reviewIfFree(
    locks: RunReviewLocks,
    runId: string,
    repo: RepoConfig,
    pr: OpenPullRequest,
    signal: AbortSignal,
    errors: ReviewRunError[],
  ): Promise<ReviewResult | null> {
    if (!(await locks.tryLock(pr.repo, pr.number))) {
      this.#deps.logger.info({ runId, pr: pr.number }, "pull request skipped, another run has it");
      return null;
    }
    return this.#reviewAndSave(runId, repo, pr, signal, errors);
  }

  async #reviewAndSave(
    runId: string,
    repo: RepoConfig,
    pr: OpenPullRequest,
    signal: AbortSignal,
    errors: ReviewRunError[],
  ): Promise<ReviewResult> {
    const result = await reviewPullRequest(this.#deps, repo, pr, signal);
    try {
      await this.#deps.store.saveResult(runId, result);
    } catch (error) {
      this.#deps.logger.error({ runId, pr: pr.number, err: error }, "review result not saved");
      errors.push(runError("run", pr.repo, pr.number, error));
    }
    return result;
  }

  async #comment(results: ReviewResult[], errors: ReviewRunError[]): Promise<void> {
    if (!this.#deps.settings.commentOnPr) return;
    for (const result of results) {
      if (result.review === null) continue;
      try {
        await this.#deps.codeHost.comment(
          result.repo,
          result.prNumber,
          reviewComment(result.review, result.ticket),
        );
      } catch (error) {
        errors.push(runError("comment", result.repo, result.prNumber, error));
      }
    }
  }

  async #postDigest(
    run: ReviewRun,
    results: ReviewResult[],
    errors: ReviewRunError[],
  ): Promise<SlackDelivery> {
    const { notifier, settings } = this.#deps;
    if (notifier === null) return "disabled";
    try {
      await notifier.postDigest({
        run: { ...run, errors: [...errors] },
        windowHours: settings.windowHours,
        results,
      });
      return "posted";
    } catch (error) {
      errors.push(runError("slack", null, null, error));
      return "failed";
    }
  }
}

function runError(
  scope: ReviewRunError["scope"],
  repo: string | null,
  prNumber: number | null,
  error: unknown,
): ReviewRunError {
  const appError = isAppError(error)
    ? error
    : new AppError("internal", error instanceof Error ? error.message : String(error));
  return { scope, repo, prNumber, code: appError.code, message: appError.message };
}
