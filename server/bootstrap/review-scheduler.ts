import { CronJob } from "cron";
import type { Logger } from "pino";
import { createSlackWebhook } from "../adapters/slack/index.js";
import {
  createReviewStore,
  databaseReviewLocks,
  type Database,
} from "../adapters/storage/index.js";
import { createMemoryReviewLocks } from "../adapters/limits/memory-review-locks.js";
import type { AppConfig, ReviewConfig } from "../config/app-config.js";
import type { AgentSlots } from "../domain/ports/agent-slots.js";
import type { JobQueue } from "../domain/ports/job-queue.js";
import type { PullRequestCheckouts } from "../domain/ports/review-ports.js";
import { parseReviewSchedule } from "../domain/reviews/review-schedule.js";
import { ReviewService, type ReviewServiceOptions } from "../domain/reviews/review-service.js";
import type { TaskDeps } from "../domain/task-deps.js";
import {
  PATTERN_REDACTOR,
  redactingCodeHost,
  redactingNotifier,
} from "../domain/redaction/index.js";

/** The review settings when a hand-built configuration (a test's) has none: no schedule, no Slack. */
export const DEFAULT_REVIEW_CONFIG: ReviewConfig = {
  cron: "0 2 * * *",
  timeZone: "UTC",
  windowHours: 24,
  commentOnPr: false,
  slackWebhookUrl: null,
};

/** What {@link buildReviewService} wires together. */
export interface ReviewServiceParts {
  config: AppConfig;
  /** The task domain's adapters: the reviews use the same GitHub, Jira, agent and repositories. */
  deps: Pick<
    TaskDeps,
    "codeHost" | "tracker" | "agent" | "repos" | "settings" | "now" | "redactor"
  >;
  /** The real git worktrees (they can check out pull requests). */
  checkouts: PullRequestCheckouts;
  db: Database;
  /** The agent concurrency limit, shared with the task runner. */
  slots: AgentSlots;
  logger: Logger;
  options?: ReviewServiceOptions;
}

/** The nightly review service on the server's own adapters and database. */
export function buildReviewService(parts: ReviewServiceParts): ReviewService {
  const { config, deps, logger } = parts;
  const reviews = config.reviews ?? DEFAULT_REVIEW_CONFIG;
  const log = logger.child({ component: "reviews" });
  // Review comments and Slack digests quote pull requests and the agent: redacted on the way out.
  const redactor = deps.redactor ?? PATTERN_REDACTOR;
  const onRedacted = (where: string, found: string[]): void =>
    log.warn({ where, found }, "secret redacted from outgoing review text");
  return new ReviewService(
    {
      store: createReviewStore(parts.db),
      locks: databaseReviewLocks(parts.db, log) ?? createMemoryReviewLocks(),
      codeHost: redactingCodeHost(deps.codeHost, redactor, onRedacted),
      tracker: deps.tracker,
      checkouts: parts.checkouts,
      agent: deps.agent,
      notifier:
        reviews.slackWebhookUrl === null
          ? null
          : redactingNotifier(
              createSlackWebhook({
                url: reviews.slackWebhookUrl,
                logger: logger.child({ adapter: "slack" }),
              }),
              redactor,
              onRedacted,
            ),
      repos: deps.repos,
      slots: parts.slots,
      settings: {
        windowHours: reviews.windowHours,
        commentOnPr: reviews.commentOnPr,
        turnTimeoutMs: deps.settings.turnTimeoutMs,
        jiraBaseUrl: config.jira.baseUrl,
        reviewForks: reviews.reviewForks ?? false,
      },
      logger: log,
      now: deps.now,
    },
    parts.options,
  );
}

/** The running schedule. */
export interface ReviewScheduler {
  /** When the next scheduled run starts. */
  nextRunAt(): Date;
  /** Stops scheduling; a run in progress is left to the service's own stop. */
  stop(): void;
}

/**
 * Starts `REVIEW_CRON` in `REVIEW_TZ` with the `cron` package, inside the server. Each
 * tick runs one pass; a tick while a run is going (here or in another process) is
 * skipped by the database lock, so runs never overlap. Null when the configuration has
 * no review section (a hand-built test configuration): nothing is scheduled.
 */
export function startReviewScheduler(
  config: Pick<AppConfig, "reviews">,
  service: Pick<ReviewService, "runNow">,
  logger: Logger,
): ReviewScheduler | null {
  if (config.reviews === undefined) return null;
  const schedule = parseReviewSchedule(config.reviews.cron, config.reviews.timeZone);
  const job = CronJob.from({
    cronTime: schedule.cron,
    timeZone: schedule.timeZone,
    onTick: async () => {
      try {
        await service.runNow("schedule");
      } catch (error) {
        logger.error({ err: error }, "scheduled review run failed");
      }
    },
    // A tick firing while the previous one still runs would only be skipped by the lock.
    waitForCompletion: true,
    unrefTimeout: true,
    start: true,
  });
  const nextRunAt = () => schedule.nextRunAfter(new Date());
  logger.info(
    { cron: schedule.cron, timeZone: schedule.timeZone, nextRunAt: nextRunAt().toISOString() },
    "review schedule started",
  );
  return {
    nextRunAt,
    stop: () => {
      void job.stop();
    },
  };
}

/**
 * The schedule on PostgreSQL: `REVIEW_CRON` in `REVIEW_TZ` as a pg-boss schedule, worked by
 * the processes that run agents. pg-boss sends one job per tick for the whole cluster and
 * one worker takes it, so N processes make one run per tick, not N attempts at the lock.
 * False when the configuration has no review section (nothing scheduled).
 */
export async function scheduleReviewsOnQueue(
  config: Pick<AppConfig, "reviews">,
  service: Pick<ReviewService, "runNow">,
  jobs: Pick<JobQueue, "workReviewSchedule">,
  logger: Logger,
): Promise<boolean> {
  if (config.reviews === undefined) return false;
  const schedule = parseReviewSchedule(config.reviews.cron, config.reviews.timeZone);
  await jobs.workReviewSchedule(schedule.cron, schedule.timeZone, async () => {
    try {
      await service.runNow("schedule");
    } catch (error) {
      // Logged, not thrown: a failed run is not retried; the next tick runs again.
      logger.error({ err: error }, "scheduled review run failed");
    }
  });
  logger.info(
    {
      cron: schedule.cron,
      timeZone: schedule.timeZone,
      nextRunAt: schedule.nextRunAfter(new Date()).toISOString(),
    },
    "review schedule started on the job queue",
  );
  return true;
}
